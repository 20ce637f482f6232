package io.boxer.netlab.wan;

import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * The delayer's timer: one thread that releases due packets of every queue with one batch verdict per queue
 * and sleeps until the next packet is due. Readers call {@link #admitted(long)} after queuing a packet, which
 * wakes the thread if that packet is due before the time it sleeps toward.
 *
 * <p>{@link #tick(long)} is the whole decision, for tests; {@link #run()} is the loop around it. The loop
 * lowers the thread's timer slack to 1 ns first: Linux lets a sleeping thread oversleep by its slack, 50 us by
 * default, which would be most of a 100 us one-way delay.
 */
final class Releaser implements Runnable {
  /** {@link #sleepingUntil} while the thread is awake: readers always wake it then (the permit is kept). */
  private static final long AWAKE = Long.MIN_VALUE;

  private final List<Line> lines;
  private volatile Thread thread;
  private volatile long sleepingUntil = AWAKE;
  private volatile boolean stopped;

  /** A queue's packets and where its verdicts go. */
  record Line(DelayLine packets, Verdicts verdicts) {}

  Releaser(List<Line> lines) {
    this.lines = List.copyOf(lines);
  }

  /** Releases what is due at {@code now}; returns when the next packet is due, {@link Long#MAX_VALUE} if none. */
  long tick(long now) {
    long next = Long.MAX_VALUE;
    for (Line line : lines) {
      long last = line.packets().takeDue(now);
      if (last != DelayLine.NONE) {
        line.verdicts().acceptUpTo(last);
      }
      next = Math.min(next, line.packets().nextRelease());
    }
    return next;
  }

  /** Called by a reader after it admitted a packet due at {@code release}. */
  void admitted(long release) {
    long until = sleepingUntil;
    if (until == AWAKE || until == Long.MAX_VALUE || release - until < 0) {
      Thread t = thread;
      if (t != null) {
        LockSupport.unpark(t);
      }
    }
  }

  @Override
  public void run() {
    thread = Thread.currentThread();
    LibC.prctl(LibC.PR_SET_TIMERSLACK, 1, 0, 0, 0);
    while (!stopped) {
      sleepingUntil = AWAKE;
      long next = tick(System.nanoTime());
      sleepingUntil = next;
      if (next == Long.MAX_VALUE) {
        LockSupport.park(this);
      } else {
        long wait = next - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(this, wait);
        }
      }
    }
  }

  void stop() {
    stopped = true;
    Thread t = thread;
    if (t != null) {
      LockSupport.unpark(t);
    }
  }
}
