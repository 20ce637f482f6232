package io.boxer.examples.load;

import java.util.Arrays;

/**
 * A latency distribution summed up by nearest-rank percentiles, in microseconds. Immutable; all zero when
 * nothing was measured.
 *
 * @param p50 median
 * @param p90 90th percentile
 * @param p99 99th percentile
 * @param max largest value
 */
public record Percentiles(long p50, long p90, long p99, long max) {
  /** No measurement at all. */
  public static final Percentiles NONE = new Percentiles(0, 0, 0, 0);

  /** The percentiles of {@code micros}; the array is sorted in place. */
  public static Percentiles of(long[] micros) {
    if (micros.length == 0) {
      return NONE;
    }
    Arrays.sort(micros);
    return new Percentiles(at(micros, 0.50), at(micros, 0.90), at(micros, 0.99), micros[micros.length - 1]);
  }

  private static long at(long[] sorted, double quantile) {
    return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1))];
  }

  @Override
  public String toString() {
    return String.format(java.util.Locale.ROOT, "p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms",
        p50 / 1000.0, p90 / 1000.0, p99 / 1000.0, max / 1000.0);
  }
}
