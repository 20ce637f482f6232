package io.boxer.agent.internal;

import io.boxer.agent.bootstrap.BoxerHooks;
import java.util.concurrent.TimeUnit;

/**
 * The warm port pool's one thread, {@value #THREAD_NAME}: calls {@link WarmPorts#tick} every
 * {@value #TICK_MILLIS} ms, and at once when woken ({@link #waker()}: a port was taken, a pool was made). A daemon
 * thread, started by the first wake-up, so that a JVM that never connects to a member has none; it lives as long
 * as the JVM. Its sockets (the reservations) are never intercepted by the agent's hooks. Thread-safe.
 */
final class WarmPortsTicker {

  static final String THREAD_NAME = "boxer-warm-ports";
  static final long TICK_MILLIS = 1000;

  private final Object lock = new Object();
  // @GuardedBy("lock")
  private boolean woken;
  // @GuardedBy("lock")
  private Thread thread;
  private volatile WarmPorts ports;

  /** The pool this thread serves; set once, before the first wake-up. */
  void serve(WarmPorts pool) {
    this.ports = pool;
  }

  /** What the pool calls to be ticked soon; never blocks. */
  Runnable waker() {
    return new Waker();
  }

  private final class Waker implements Runnable {
    @Override
    public void run() {
      synchronized (lock) {
        woken = true;
        if (thread == null) {
          thread = new Thread(WarmPortsTicker.this::loop, THREAD_NAME);
          thread.setDaemon(true);
          thread.start();
        }
        lock.notifyAll();
      }
    }
  }

  private void loop() {
    BoxerHooks.enterInternal();
    while (true) {
      try {
        ports.tick(System.nanoTime());
      } catch (RuntimeException e) {
        // a failed tick leaves the pool as it was; the next one tries again (agent code never logs)
      }
      try {
        synchronized (lock) {
          long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS);
          while (!woken) {
            long left = until - System.nanoTime();
            if (left <= 0) {
              break;
            }
            TimeUnit.NANOSECONDS.timedWait(lock, left);
          }
          woken = false;
        }
      } catch (InterruptedException e) {
        return; // nobody interrupts it but a JVM that goes away
      }
    }
  }
}
