package io.boxer.node.membership;

import java.time.Duration;

/**
 * Exponential retry delay: the first is {@code initial}, each next one twice the last, capped at {@code max}.
 * Not thread-safe: its owner guards it.
 */
final class Backoff {
  private final Duration initial;
  private final Duration max;
  private Duration next;

  Backoff(Duration initial, Duration max) {
    if (initial.isNegative() || initial.isZero() || max.isNegative() || max.isZero()) {
      throw new IllegalArgumentException("backoff : " + initial.toMillis() + ".." + max.toMillis()
          + " ms (expected: both > 0)");
    }
    this.initial = initial;
    this.max = max;
    this.next = initial;
  }

  /** The delay before the next attempt; each call doubles the following one, up to the maximum. */
  Duration next() {
    Duration delay = next;
    Duration doubled = delay.multipliedBy(2);
    next = doubled.compareTo(max) > 0 ? max : doubled;
    return delay;
  }

  /** After a successful attempt: start again from the initial delay. */
  void reset() {
    next = initial;
  }
}
