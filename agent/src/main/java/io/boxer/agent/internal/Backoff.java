package io.boxer.agent.internal;

/** Exponential reconnect delay: doubles from {@code initialMillis} up to {@code maxMillis}. Not thread-safe. */
final class Backoff {

  private final long initialMillis;
  private final long maxMillis;
  private long next;

  Backoff(long initialMillis, long maxMillis) {
    if (initialMillis < 1 || maxMillis < initialMillis) {
      throw new IllegalArgumentException("backoff : " + initialMillis + ".." + maxMillis
          + " (expected: 1 <= initial <= max)");
    }
    this.initialMillis = initialMillis;
    this.maxMillis = maxMillis;
    this.next = initialMillis;
  }

  /** The delay before the next attempt; each call doubles the following one up to the maximum. */
  long nextDelayMillis() {
    long delay = next;
    next = Math.min(maxMillis, next * 2);
    return delay;
  }

  /** After a successful attempt: start again from the initial delay. */
  void reset() {
    next = initialMillis;
  }
}
