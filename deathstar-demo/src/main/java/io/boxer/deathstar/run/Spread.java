package io.boxer.deathstar.run;

import java.util.List;
import java.util.Locale;

/**
 * A figure measured once per round: its median and its range. On a shared machine one round alone does not say
 * whether a difference is real; a ratio whose range excludes 1 does, at least for this machine and run.
 */
record Spread(double median, double min, double max, int count) {

  /** @throws IllegalArgumentException if {@code values} is empty */
  static Spread of(List<Double> values) {
    if (values.isEmpty()) {
      throw new IllegalArgumentException("no values");
    }
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return new Spread(median, sorted[0], sorted[n - 1], n);
  }

  /** Whether every round's value is on the same side of {@code value} (none equal to it). */
  boolean excludes(double value) {
    return min > value || max < value;
  }

  /** "median (min-max)" with {@code format} for each number, e.g. "%.2f" or "%.2fx". */
  String format(String format) {
    String median = String.format(Locale.ROOT, format, this.median);
    if (count == 1) {
      return median;
    }
    return median + " (" + String.format(Locale.ROOT, format, min) + "-" + String.format(Locale.ROOT, format, max)
        + ")";
  }
}
