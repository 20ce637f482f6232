package io.boxer.agent.internal;

import io.boxer.agent.bootstrap.BoxerHooks;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The agent threads that run the primes of non-blocking and asynchronous connects: up to {@value #MAX} at once,
 * daemon threads named {@code boxer-prime-N}, created on demand and gone after 30 s idle; beyond {@value #MAX}
 * in flight, the connecting thread primes itself. The pool is built when the first prime needs it (holder
 * idiom), so that premain loads none of it. Their own sockets are never intercepted.
 */
final class PrimeThreads {
  static final int MAX = 64;

  private PrimeThreads() {}

  private static final class Holder {
    static final ThreadPoolExecutor POOL = pool();
  }

  /** Runs {@code task} on a prime thread, or on the caller's when all {@value #MAX} are busy. */
  static void execute(Runnable task) {
    Holder.POOL.execute(task);
  }

  private static ThreadPoolExecutor pool() {
    AtomicInteger threads = new AtomicInteger();
    return new ThreadPoolExecutor(0, MAX, 30, TimeUnit.SECONDS, new SynchronousQueue<>(), task -> {
      Thread t = new Thread(() -> {
        BoxerHooks.enterInternal();
        task.run();
      }, "boxer-prime-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    }, new ThreadPoolExecutor.CallerRunsPolicy());
  }
}
