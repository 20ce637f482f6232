package io.boxer.agent.internal;

import io.boxer.agent.bootstrap.BoxerHooks;
import io.boxer.proto.agent.v1.AgentRequest;
import io.boxer.proto.agent.v1.MembershipView;
import io.boxer.proto.agent.v1.Watch;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Keeps the latest membership view of the local node: one long-lived {@code AgentRequest{watch}} connection,
 * read on the daemon thread {@value #THREAD_NAME}, reconnecting with backoff when the node closes it. The last
 * view stays in force while reconnecting.
 *
 * <p>{@link #current()} is a single volatile read, safe from any thread; it is null until the first view.
 * {@link #start()} starts the thread (the constructor starts nothing); {@link #close()} stops it.
 */
final class MembershipWatcher implements AutoCloseable {

  static final String THREAD_NAME = "boxer-agent-membership";

  private final Path socketPath;
  private final Backoff backoff;
  private final CountDownLatch firstAttempt = new CountDownLatch(1);
  private volatile MemberSet current;
  private volatile boolean closed;
  private volatile boolean waitedOnce;
  private volatile SocketChannel channel;
  private volatile Thread thread;

  MembershipWatcher(Path socketPath, Backoff backoff) {
    this.socketPath = socketPath;
    this.backoff = backoff;
  }

  /** Starts the reader thread. Call once. */
  synchronized void start() {
    if (thread != null) {
      throw new IllegalStateException("membership watcher already started");
    }
    // a class, not a method reference: no invokedynamic to link on the thread that starts it
    Thread t = new Thread(new Runnable() {
      @Override
      public void run() {
        MembershipWatcher.this.run();
      }
    }, THREAD_NAME);
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /** The latest view, or null while none has arrived. */
  MemberSet current() {
    return current;
  }

  /**
   * The latest view; if none has arrived yet and this is the first time anyone asks, waits up to
   * {@code millis} for the first view (or for the first connection attempt to fail). Never null.
   */
  MemberSet currentOrAwaitFirst(long millis) {
    MemberSet view = current;
    if (view != null) {
      return view;
    }
    if (!waitedOnce) {
      try {
        firstAttempt.await(millis, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        waitedOnce = true;
      }
      view = current;
    }
    return view == null ? MemberSet.EMPTY : view;
  }

  private void run() {
    BoxerHooks.enterInternal();
    while (!closed) {
      try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        channel = ch;
        if (closed) {
          return;
        }
        ch.connect(UnixDomainSocketAddress.of(socketPath));
        OutputStream out = Channels.newOutputStream(ch);
        AgentRequest.newBuilder().setWatch(Watch.getDefaultInstance()).build().writeDelimitedTo(out);
        out.flush();
        InputStream in = Channels.newInputStream(ch);
        MembershipView view;
        while ((view = MembershipView.parseDelimitedFrom(in)) != null) {
          current = MemberSet.of(view);
          backoff.reset();
          firstAttempt.countDown();
        }
      } catch (IOException | RuntimeException e) {
        // The node is not there (yet), restarted, or sent garbage: retry below.
      } finally {
        channel = null;
      }
      firstAttempt.countDown();
      if (closed) {
        return;
      }
      try {
        Thread.sleep(backoff.nextDelayMillis());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    SocketChannel ch = channel;
    if (ch != null) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    Thread t = thread;
    if (t != null) {
      t.interrupt();
    }
  }

  /** For tests: waits for the reader thread to end after {@link #close()}. */
  boolean awaitStopped(long millis) throws InterruptedException {
    Thread t = thread;
    if (t == null) {
      return true;
    }
    t.join(millis);
    return !t.isAlive();
  }
}
