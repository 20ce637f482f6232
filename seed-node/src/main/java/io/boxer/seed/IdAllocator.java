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

  synchronized long next() {
    last = Math.max(last + 1, millisClock.getAsLong() * 1000);
    return last;
  }

  /** A member rejoined with {@code id}: never hand out an id at or below it. */
  synchronized void observe(long id) {
    last = Math.max(last, id);
  }
}
