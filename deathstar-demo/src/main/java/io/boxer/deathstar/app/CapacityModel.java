package io.boxer.deathstar.app;

import java.time.Duration;

/**
 * A modeled capacity for one service instance: {@code concurrency} slots, each serving one call for {@code
 * serviceTime}; a call takes the slot that frees first and waits for it. So an instance serves at most {@code
 * concurrency / serviceTime} calls per second however many CPUs the host has, which lets a demo on a small machine
 * show what adding instances does (each real instance would bring its own CPU). Off unless configured
 * ({@code capacity.*} keys). Thread-safe.
 */
final class CapacityModel {
  private final long serviceNanos;
  private final long[] slotFreeAt; // guarded by this; nanoTime at which each slot is free again
  private boolean started; // guarded by this; nanoTime has no fixed origin, so slots start free at the first call

  /**
   * @param concurrency calls served at once, 1..1024
   * @param serviceTime time each call holds its slot, > 0
   */
  CapacityModel(int concurrency, Duration serviceTime) {
    if (concurrency < 1 || concurrency > 1024) {
      throw new IllegalArgumentException("concurrency : " + concurrency + " (expected: 1..1024)");
    }
    if (serviceTime.isNegative() || serviceTime.isZero()) {
      throw new IllegalArgumentException("serviceTime : " + serviceTime + " (expected: > 0)");
    }
    this.serviceNanos = serviceTime.toNanos();
    this.slotFreeAt = new long[concurrency];
  }

  /**
   * Reserves a slot for a call arriving at {@code nowNanos}.
   *
   * @return how long the call must be held before it is served: its wait for a slot plus its service time
   */
  synchronized long holdNanos(long nowNanos) {
    if (!started) {
      java.util.Arrays.fill(slotFreeAt, nowNanos);
      started = true;
    }
    int earliest = 0;
    for (int i = 1; i < slotFreeAt.length; i++) {
      if (slotFreeAt[i] - slotFreeAt[earliest] < 0) {
        earliest = i;
      }
    }
    long start = slotFreeAt[earliest] - nowNanos > 0 ? slotFreeAt[earliest] : nowNanos;
    slotFreeAt[earliest] = start + serviceNanos;
    return slotFreeAt[earliest] - nowNanos;
  }
}
