package io.boxer.node;

import java.time.Duration;
import java.util.Set;

/**
 * When this node reports its control links to the seed: every {@link #EVERY}, and soon after a link goes up or
 * down, but never twice within {@link #MIN_GAP} (the seed drops reports much closer together). A timer driven by the
 * node's liveness tick: no thread of its own. Events thread only.
 */
final class LinkReportSchedule {
  static final Duration EVERY = Duration.ofSeconds(5);
  /** The seed drops reports closer than 0.5 s; this leaves room for a report that queued on the way. */
  static final Duration MIN_GAP = Duration.ofMillis(1100);

  private long lastSentNanos;
  private Set<Long> lastUp;

  /** Whether a report is due at {@code now}, with links up to the members {@code up}. */
  boolean due(long now, Set<Long> up) {
    if (lastUp == null) {
      return true;
    }
    long since = now - lastSentNanos;
    return since >= EVERY.toNanos() || (since >= MIN_GAP.toNanos() && !up.equals(lastUp));
  }

  /** A report with links up to {@code up} went out at {@code now}. */
  void sent(long now, Set<Long> up) {
    lastSentNanos = now;
    lastUp = Set.copyOf(up);
  }

  /** A new seed session (a rejoin): report at the next tick. */
  void reset() {
    lastUp = null;
  }
}
