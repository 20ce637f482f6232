package io.boxer.bench.storage;

import java.time.Instant;

/**
 * Microseconds since the epoch from the realtime clock. Every host of a lab is a network namespace of one kernel,
 * so a sender's and a receiver's readings compare directly: a message's latency is the receiver's reading minus
 * the one the sender wrote into it.
 */
final class WallClock {
  private WallClock() {}

  static long micros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  /** Sleeps until {@code epochMillis}; returns at once if it has passed. */
  static void sleepUntil(long epochMillis) throws InterruptedException {
    long left;
    while ((left = epochMillis - System.currentTimeMillis()) > 0) {
      Thread.sleep(Math.min(left, 100));
    }
  }
}
