package io.boxer.control;

import java.util.function.LongSupplier;

/**
 * A rate limit: up to {@code burst} events at once, refilled at {@code perSecond}. One per limited thing (a
 * peer's prime requests, a member's messages to the seed). Thread-safe.
 */
public final class TokenBucket {
  private final double perNano;
  private final double burst;
  private final LongSupplier nanoClock;
  // @GuardedBy("this")
  private double tokens;
  // @GuardedBy("this")
  private long last;

  /**
   * @param perSecond sustained events per second, > 0
   * @param burst events allowed at once, >= 1
   */
  public TokenBucket(double perSecond, int burst) {
    this(perSecond, burst, System::nanoTime);
  }

  public TokenBucket(double perSecond, int burst, LongSupplier nanoClock) {
    if (!(perSecond > 0)) {
      throw new IllegalArgumentException("perSecond : " + perSecond + " (expected: > 0)");
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst : " + burst + " (expected: >= 1)");
    }
    this.perNano = perSecond / 1e9;
    this.burst = burst;
    this.nanoClock = nanoClock;
    this.tokens = burst;
    this.last = nanoClock.getAsLong();
  }

  /** Takes one token if there is one: true means the event may happen. */
  public synchronized boolean tryTake() {
    long now = nanoClock.getAsLong();
    tokens = Math.min(burst, tokens + (now - last) * perNano);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      return true;
    }
    return false;
  }
}
