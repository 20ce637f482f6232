package io.boxer.deathstar.load;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Accumulates the answers of one offered rate. Latency and errors count requests whose intended time falls in the
 * measured window {@code [windowStart, windowEnd)}; throughput counts successes that complete within it. Once
 * {@link #seal} has run, late answers are ignored, so nothing is counted twice. Thread-safe (answers arrive on the
 * HTTP client's threads).
 */
final class RateMeasurement {
  private static final int SIGNIFICANT_DIGITS = 3;

  private final double offeredRps;
  private final long windowStart;
  private final long windowEnd;
  // all guarded by this
  private final Histogram corrected = new Histogram(SIGNIFICANT_DIGITS);
  private final Histogram uncorrected = new Histogram(SIGNIFICANT_DIGITS);
  private long sent;
  private long successes;
  private long successesInWindow;
  private long errors;
  private long dropped;
  private long pending;
  private String firstError = "";
  private boolean sealed;

  RateMeasurement(double offeredRps, long windowStartNanos, long windowEndNanos) {
    this.offeredRps = offeredRps;
    this.windowStart = windowStartNanos;
    this.windowEnd = windowEndNanos;
  }

  /** A request due at {@code intendedNanos} is being sent (or queued to be). */
  synchronized void started(long intendedNanos) {
    if (!sealed && measured(intendedNanos)) {
      sent++;
      pending++;
    }
  }

  /** A request due at {@code intendedNanos} was not sent: too many were outstanding. */
  synchronized void dropped(long intendedNanos) {
    if (!sealed && measured(intendedNanos)) {
      sent++;
      dropped++;
      error("dropped: too many requests outstanding");
    }
  }

  /**
   * A request came back.
   *
   * @param problem null for a success, else what went wrong
   */
  synchronized void answered(long intendedNanos, long sentNanos, long doneNanos, String problem) {
    if (sealed) {
      return;
    }
    if (problem == null && doneNanos >= windowStart && doneNanos < windowEnd) {
      successesInWindow++;
    }
    if (!measured(intendedNanos)) {
      return;
    }
    pending--;
    if (problem != null) {
      error(problem);
      return;
    }
    successes++;
    corrected.recordValue(micros(doneNanos - intendedNanos));
    uncorrected.recordValue(micros(doneNanos - sentNanos));
  }

  /** Stops counting; requests still pending become errors. */
  synchronized RateResult seal() {
    if (!sealed) {
      sealed = true;
      if (pending > 0) {
        errors(pending, pending + " requests still unanswered when the run ended");
        pending = 0;
      }
    }
    double seconds = (windowEnd - windowStart) / 1e9;
    return new RateResult(offeredRps, successesInWindow / seconds, seconds, sent, successes, errors, dropped,
        LatencySummary.ofMicros(corrected), LatencySummary.ofMicros(uncorrected), firstError);
  }

  private boolean measured(long intendedNanos) {
    return intendedNanos >= windowStart && intendedNanos < windowEnd;
  }

  private void error(String problem) {
    errors(1, problem);
  }

  private void errors(long count, String problem) {
    errors += count;
    if (firstError.isEmpty()) {
      firstError = problem;
    }
  }

  private static long micros(long nanos) {
    return Math.max(1, TimeUnit.NANOSECONDS.toMicros(nanos));
  }
}
