package io.boxer.control;

/**
 * The longest gap between a stream's consecutive frames lately (within about {@link Liveness#GAP_MEMORY}):
 * how irregular a member's heartbeats have been. A member on a starved host or a lossy path sends late
 * now and then, and deserves more patience than one whose heartbeats were punctual until they stopped (the
 * idea of the phi accrual detector, Hayashibara et al., in its simplest form). Two buckets, each half the
 * memory long, so an old gap is forgotten within one to two halves. Thread-safe; times are
 * {@link System#nanoTime()} values.
 */
public final class ArrivalGaps {
  private static final long HALF_MEMORY_NANOS = Liveness.GAP_MEMORY.toNanos() / 2;
  private long last;
  private long bucketStart;
  private long currentMax;
  private long previousMax;

  /** Starts timing at {@code now} (a stream that just opened). */
  public ArrivalGaps(long now) {
    last = now;
    bucketStart = now;
  }

  /** A frame arrived at {@code now}. */
  public synchronized void arrived(long now) {
    rotate(now);
    currentMax = Math.max(currentMax, now - last);
    last = now;
  }

  /** The longest gap between frames within the memory, as of {@code now}; 0 before the second frame. */
  public synchronized long recentMaxGapNanos(long now) {
    rotate(now);
    return Math.max(currentMax, previousMax);
  }

  private void rotate(long now) {
    long elapsed = now - bucketStart;
    if (elapsed >= HALF_MEMORY_NANOS) {
      previousMax = elapsed >= 2 * HALF_MEMORY_NANOS ? 0 : currentMax;
      currentMax = 0;
      bucketStart = now;
    }
  }
}
