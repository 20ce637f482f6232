package io.boxer.bench.storage;

import java.util.Arrays;

/**
 * Mean, median, standard deviation (population), minimum and maximum of a sample, as the paper's tables report
 * them. Public: the paper's evaluation ({@code io.boxer.bench.paper}) reports with it too.
 */
public record Stats(int count, double mean, double median, double std, double min, double max) {
  public static Stats of(double[] values) {
    if (values.length == 0) {
      throw new IllegalArgumentException("values : empty (expected: at least one)");
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    double sum = 0;
    for (double v : sorted) {
      sum += v;
    }
    double mean = sum / sorted.length;
    double squares = 0;
    for (double v : sorted) {
      squares += (v - mean) * (v - mean);
    }
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new Stats(n, mean, median, Math.sqrt(squares / n), sorted[0], sorted[n - 1]);
  }
}
