package io.boxer.deathstar.load;

import java.util.ArrayList;
import java.util.List;

/**
 * Per-second counts of an open-loop run, from an origin: requests offered (by intended send time, dropped ones
 * included), answers that succeeded and requests that failed (by the time the answer came or the request was
 * dropped). Events outside {@code [origin, origin + seconds)} are not counted. Thread-safe.
 */
final class Timeline implements OpenLoopDriver.Listener {
  private final long originNanos;
  private final long[] offered; // all guarded by this
  private final long[] succeeded;
  private final long[] failed;

  /** @param seconds how many one-second bins, 1..86400 */
  Timeline(long originNanos, int seconds) {
    if (seconds < 1 || seconds > 86_400) {
      throw new IllegalArgumentException("seconds : " + seconds + " (expected: 1..86400)");
    }
    this.originNanos = originNanos;
    this.offered = new long[seconds];
    this.succeeded = new long[seconds];
    this.failed = new long[seconds];
  }

  @Override
  public synchronized void offered(long intendedNanos) {
    count(offered, intendedNanos);
  }

  @Override
  public synchronized void answered(long doneNanos, boolean success) {
    count(success ? succeeded : failed, doneNanos);
  }

  private void count(long[] bins, long nanos) {
    long elapsed = nanos - originNanos;
    if (elapsed >= 0 && elapsed / 1_000_000_000L < bins.length) {
      bins[(int) (elapsed / 1_000_000_000L)]++;
    }
  }

  /** The counts so far, one entry per second from the origin. */
  synchronized List<TimelineFile.Second> seconds() {
    List<TimelineFile.Second> list = new ArrayList<>(offered.length);
    for (int i = 0; i < offered.length; i++) {
      list.add(new TimelineFile.Second(i, offered[i], succeeded[i], failed[i]));
    }
    return list;
  }
}
