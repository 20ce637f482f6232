package io.boxer.seed;

import java.util.function.LongSupplier;

/**
 * Member ids that are never reused, not even after a seed restart: an id is (wall-clock milliseconds) * 1000
 * + n, strictly increasing within a run, and a restarted seed starts above every id it hands out again.
 * Lower ids still mean "joined earlier", which the mesh relies on to decide who primes and who dials. Holds as
 * long as the seed's clock does not go back by more than its downtime; ids of rejoining members are observed
 * so that even then no id is handed out twice while they are members. Thread-safe.
 */
final class IdAllocator {
  private final LongSupplier millisClock;
  // @GuardedBy("this")
  private long last;

  IdAllocator(LongSupplier millisClock) {
    this.millisClock = millisClock;
  }

  /** Ids beyond this many milliseconds ahead of the clock are refused on rejoin ({@link #plausible}). */
  static final long MAX_AHEAD_MILLIS = 24L * 3600 * 1000;

  /** The wall clock the ids come from, in milliseconds. */
  long nowMillis() {
    return millisClock.getAsLong();
  }

  synchronized long next() {
    last = Math.max(last + 1, millisClock.getAsLong() * 1000);
    return last;
  }

  /**
   * Whether a rejoining member's id could have been handed out by a seed whose clock is no more than a day
   * ahead of ours: a larger one (a minted certificate, a broken clock) would push every later id up, up to
   * overflow.
   */
  boolean plausible(long id) {
    return id >= 1 && id <= (millisClock.getAsLong() + MAX_AHEAD_MILLIS) * 1000;
  }

  /** A member rejoined with {@code id} (see {@link #plausible}): never hand out an id at or below it. */
  synchronized void observe(long id) {
    last = Math.max(last, id);
  }
}
