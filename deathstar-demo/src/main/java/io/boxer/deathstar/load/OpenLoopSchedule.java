package io.boxer.deathstar.load;

import java.util.random.RandomGenerator;

/**
 * The intended send times of an open-loop load: a Poisson process, i.e. exponentially distributed gaps of mean
 * {@code 1/rate}, drawn from a seeded generator. The times do not depend on when answers come back; that is what
 * makes the load open-loop (and what lets latency be measured from the intended time, free of coordinated
 * omission). Not thread-safe.
 */
final class OpenLoopSchedule {
  private final double meanGapNanos;
  private final RandomGenerator random;
  private long next;

  /**
   * @param ratePerSecond requests per second, > 0
   * @param startNanos the origin; the first request is due one gap after it
   */
  OpenLoopSchedule(double ratePerSecond, long startNanos, RandomGenerator random) {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("rate : " + ratePerSecond + " (expected: > 0)");
    }
    this.meanGapNanos = 1e9 / ratePerSecond;
    this.random = random;
    this.next = startNanos;
  }

  /** The intended time of the next request, in {@link System#nanoTime()} terms. */
  long nextNanos() {
    next += gapNanos();
    return next;
  }

  /** One exponential gap: {@code -ln(U) * mean}, U uniform in (0, 1]. */
  long gapNanos() {
    double u = 1.0 - random.nextDouble(); // (0, 1]: ln(0) would be infinite
    return Math.round(-Math.log(u) * meanGapNanos);
  }
}
