package io.boxer.deathstar.load;

import java.util.random.RandomGenerator;

/**
 * The intended send times of an open-loop load: a Poisson process, i.e. exponentially distributed gaps of mean
 * {@code 1/rate}, drawn from a seeded generator. The times do not depend on when answers come back; that is what
 * makes the load open-loop (and what lets latency be measured from the intended time, free of coordinated
 * omission). A stepped schedule switches to a second rate at a given time: a gap that would cross the step is
 * redrawn from the step at the new rate (exact, since a Poisson process has no memory). Not thread-safe.
 */
final class OpenLoopSchedule {
  private final double meanGapNanos;
  private final double meanGapAfterStepNanos;
  private final long stepNanos;
  private final RandomGenerator random;
  private long next;
  private boolean stepped;

  /**
   * @param ratePerSecond requests per second, > 0
   * @param startNanos the origin; the first request is due one gap after it
   */
  OpenLoopSchedule(double ratePerSecond, long startNanos, RandomGenerator random) {
    this(ratePerSecond, startNanos, ratePerSecond, startNanos, random);
  }

  /**
   * A schedule at {@code ratePerSecond} from {@code startNanos}, then at {@code rateAfterStep} from {@code
   * stepNanos} (not before {@code startNanos}).
   */
  OpenLoopSchedule(double ratePerSecond, long startNanos, double rateAfterStep, long stepNanos,
      RandomGenerator random) {
    this.meanGapNanos = 1e9 / checked(ratePerSecond);
    this.meanGapAfterStepNanos = 1e9 / checked(rateAfterStep);
    if (stepNanos - startNanos < 0) {
      throw new IllegalArgumentException("step : before the start (expected: at or after it)");
    }
    this.stepNanos = stepNanos;
    this.random = random;
    this.next = startNanos;
    this.stepped = stepNanos == startNanos;
  }

  private static double checked(double ratePerSecond) {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("rate : " + ratePerSecond + " (expected: > 0)");
    }
    return ratePerSecond;
  }

  /** The intended time of the next request, in {@link System#nanoTime()} terms. */
  long nextNanos() {
    if (stepped) {
      next += gapNanos(meanGapAfterStepNanos);
      return next;
    }
    long candidate = next + gapNanos(meanGapNanos);
    if (candidate - stepNanos >= 0) {
      stepped = true;
      next = stepNanos + gapNanos(meanGapAfterStepNanos);
    } else {
      next = candidate;
    }
    return next;
  }

  /** One exponential gap at the first rate. */
  long gapNanos() {
    return gapNanos(meanGapNanos);
  }

  /** One exponential gap: {@code -ln(U) * mean}, U uniform in (0, 1]. */
  private long gapNanos(double mean) {
    double u = 1.0 - random.nextDouble(); // (0, 1]: ln(0) would be infinite
    return Math.round(-Math.log(u) * mean);
  }
}
