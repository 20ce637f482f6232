package io.boxer.control;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * A warning that an attacker can trigger at will (a malformed frame, a refused prime, a rejected connection)
 * costs at most {@code perWindow} log lines per window, however often it happens: the rest are counted, and
 * the next line that is let through says how many were suppressed. One instance per kind of event.
 * Thread-safe and lock-free.
 */
public final class RateLimitedLog {
  private final Logger log;
  private final int perWindow;
  private final long windowNanos;
  private final LongSupplier nanoClock;
  private final AtomicLong windowStart;
  private final AtomicLong inWindow = new AtomicLong();
  private final AtomicLong suppressed = new AtomicLong();

  /**
   * @param perWindow lines let through per window, >= 1
   * @param window the window, > 0
   */
  public RateLimitedLog(Logger log, int perWindow, long window, TimeUnit unit) {
    this(log, perWindow, unit.toNanos(window), System::nanoTime);
  }

  RateLimitedLog(Logger log, int perWindow, long windowNanos, LongSupplier nanoClock) {
    if (perWindow < 1) {
      throw new IllegalArgumentException("perWindow : " + perWindow + " (expected: >= 1)");
    }
    if (windowNanos <= 0) {
      throw new IllegalArgumentException("window : " + windowNanos + " ns (expected: > 0)");
    }
    this.log = log;
    this.perWindow = perWindow;
    this.windowNanos = windowNanos;
    this.nanoClock = nanoClock;
    this.windowStart = new AtomicLong(nanoClock.getAsLong());
  }

  /**
   * Logs {@code message} (an SLF4J pattern) at WARN unless this window's lines are used up. A line that follows
   * suppressed ones gets {@code suppressed=N} appended.
   *
   * @return whether the line was written
   */
  public boolean warn(String message, Object... args) {
    if (!take()) {
      return false;
    }
    long dropped = suppressed.getAndSet(0);
    if (dropped == 0) {
      log.warn(message, args);
    } else {
      Object[] withCount = java.util.Arrays.copyOf(args, args.length + 1);
      withCount[args.length] = dropped;
      log.warn(message + " suppressed={}", withCount);
    }
    return true;
  }

  /** How many lines were suppressed since the last one written. */
  public long suppressed() {
    return suppressed.get();
  }

  private boolean take() {
    long now = nanoClock.getAsLong();
    long start = windowStart.get();
    if (now - start >= windowNanos && windowStart.compareAndSet(start, now)) {
      inWindow.set(0);
    }
    if (inWindow.incrementAndGet() <= perWindow) {
      return true;
    }
    suppressed.incrementAndGet();
    return false;
  }
}
