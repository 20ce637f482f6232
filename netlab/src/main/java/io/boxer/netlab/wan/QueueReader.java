package io.boxer.netlab.wan;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;

/**
 * The reader of one queue: on its own thread, enters the queue's network namespace, binds the queue, then
 * admits every notified packet into the queue's {@link DelayLine} (or drops it when the line is full) and tells
 * the {@link Releaser}. The thread stays in that namespace for good, which is why each queue has its own.
 */
final class QueueReader implements Runnable {
  private final String netnsPath;
  private final int queue;
  private final DelayLine line;
  private final Counters counters;
  private final CompletableFuture<NfQueueSocket> opened = new CompletableFuture<>();
  private final CompletableFuture<Releaser> releaser = new CompletableFuture<>();
  private volatile boolean stopped;

  /** What all readers count, for the status file. */
  static final class Counters {
    final LongAdder packets = new LongAdder();
    final LongAdder dropped = new LongAdder();
    final LongAdder lost = new LongAdder();
  }

  QueueReader(String netnsPath, int queue, DelayLine line, Counters counters) {
    this.netnsPath = netnsPath;
    this.queue = queue;
    this.line = line;
    this.counters = counters;
  }

  /** Completes with the bound socket once the thread has set it up, or exceptionally with why it could not. */
  CompletableFuture<NfQueueSocket> opened() {
    return opened;
  }

  /** Lets the thread start reading; packets that came before wait in the socket meanwhile. */
  void start(Releaser r) {
    releaser.complete(r);
  }

  void stop() {
    stopped = true;
    releaser.cancel(false);
  }

  @Override
  public void run() {
    NfQueueSocket socket;
    try {
      socket = NfQueueSocket.openIn(netnsPath, queue, line.capacity());
    } catch (RuntimeException e) {
      opened.completeExceptionally(e);
      return;
    }
    opened.complete(socket);
    Releaser r;
    try {
      r = releaser.join();
    } catch (RuntimeException cancelled) {
      return;
    }
    while (!stopped) {
      try {
        socket.receive(id -> admit(socket, r, id));
      } catch (NfQueueSocket.NotificationsLostException e) {
        counters.lost.increment();
      }
    }
  }

  private void admit(NfQueueSocket socket, Releaser r, long id) {
    counters.packets.increment();
    long release = line.admit(id, System.nanoTime());
    if (release == Long.MIN_VALUE) {
      counters.dropped.increment();
      socket.drop(id);
    } else {
      r.admitted(release);
    }
  }
}
