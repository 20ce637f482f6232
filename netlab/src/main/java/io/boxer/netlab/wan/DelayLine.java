package io.boxer.netlab.wan;

import java.util.random.RandomGenerator;

/**
 * The packets one queue holds, in arrival order, each with the time it may go on: arrival plus the one-way
 * delay plus a jitter drawn uniformly from {@code [-jitter, +jitter]}, but never before the packet ahead of it
 * (a WAN link does not reorder, and TCP would take reordering for loss). A fixed-size ring of primitives, so a
 * packet costs no allocation; when it is full, {@link #admit} refuses and the caller drops the packet.
 *
 * <p>Thread-safe: the queue's reader admits, the releaser takes; both under this object's lock. Times are
 * {@link System#nanoTime()} values passed in by the callers, so tests choose them.
 */
final class DelayLine {
  /** {@link #takeDue} found nothing due. */
  static final long NONE = -1;

  private final long oneWayNanos;
  private final long jitterNanos;
  private final RandomGenerator random;
  private final long[] ids;
  private final long[] releases;
  // guarded by this
  private int head;
  private int size;
  private long lastRelease = Long.MIN_VALUE;

  /**
   * @param oneWayNanos the delay every packet gets, > 0
   * @param jitterNanos half the width of the uniform jitter, 0..oneWayNanos (so no delay is negative)
   * @param capacity how many packets it holds at most, > 0
   */
  DelayLine(long oneWayNanos, long jitterNanos, int capacity, RandomGenerator random) {
    if (oneWayNanos <= 0) {
      throw new IllegalArgumentException("oneWayNanos : " + oneWayNanos + " (expected: > 0)");
    }
    if (jitterNanos < 0 || jitterNanos > oneWayNanos) {
      throw new IllegalArgumentException("jitterNanos : " + jitterNanos + " (expected: 0.." + oneWayNanos + ")");
    }
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity : " + capacity + " (expected: > 0)");
    }
    this.oneWayNanos = oneWayNanos;
    this.jitterNanos = jitterNanos;
    this.random = random;
    this.ids = new long[capacity];
    this.releases = new long[capacity];
  }

  /**
   * Queues packet {@code id}, which arrived at {@code now}.
   *
   * @return its release time, or {@link Long#MIN_VALUE} if the line is full (the caller drops the packet)
   */
  synchronized long admit(long id, long now) {
    if (size == ids.length) {
      return Long.MIN_VALUE;
    }
    long delay = jitterNanos == 0 ? oneWayNanos : oneWayNanos + random.nextLong(-jitterNanos, jitterNanos + 1);
    long release = Math.max(now + delay, lastRelease);
    int tail = (head + size) % ids.length;
    ids[tail] = id;
    releases[tail] = release;
    size++;
    lastRelease = release;
    return release;
  }

  /**
   * Removes every packet due at {@code now} and returns the id of the last one (releasing it releases all
   * before it: ids rise in arrival order), or {@link #NONE}.
   */
  synchronized long takeDue(long now) {
    long last = NONE;
    while (size > 0 && releases[head] - now <= 0) {
      last = ids[head];
      head = (head + 1) % ids.length;
      size--;
    }
    return last;
  }

  /** When the next packet is due, or {@link Long#MAX_VALUE} if the line is empty. */
  synchronized long nextRelease() {
    return size == 0 ? Long.MAX_VALUE : releases[head];
  }

  /** How many packets it holds at most. */
  int capacity() {
    return ids.length;
  }

  /** Packets held now. */
  synchronized int size() {
    return size;
  }
}
