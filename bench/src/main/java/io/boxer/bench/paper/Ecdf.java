package io.boxer.bench.paper;

import java.util.Arrays;

/**
 * An empirical cumulative distribution function, as the paper's Figures 6 and 7 plot it: the sorted samples on
 * x, and on y the fraction of samples at or below each (the i-th smallest of n at (i+1)/n). Immutable.
 */
final class Ecdf {
  private final double[] x;

  Ecdf(double[] samples) {
    if (samples.length == 0) {
      throw new IllegalArgumentException("samples : empty (expected: at least one)");
    }
    x = samples.clone();
    Arrays.sort(x);
  }

  double[] xs() {
    return x.clone();
  }

  double[] ys() {
    double[] y = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      y[i] = (i + 1) / (double) x.length;
    }
    return y;
  }

  /** The fraction of samples at or below {@code value}. */
  double at(double value) {
    int i = Arrays.binarySearch(x, value);
    if (i < 0) {
      return (-i - 1) / (double) x.length;
    }
    while (i + 1 < x.length && x[i + 1] == value) {
      i++;
    }
    return (i + 1) / (double) x.length;
  }
}
