package io.boxer.agent.internal;

import io.boxer.agent.bootstrap.BoxerHooks;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import java.nio.channels.Channel;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Non-blocking and asynchronous connects whose prime runs on an agent thread while the application's thread
 * goes on.
 *
 * <p>The life of one: {@code SocketChannel.connect} (non-blocking) reaches the {@code Net.connect} hook, which
 * binds the socket, calls {@link #start} and makes {@code connect} return false ("pending") without a kernel
 * connect. While the prime is in flight, {@link #interestOps} keeps the channel out of its selectors' epoll sets
 * (an unconnected socket would poll as ready) and {@link #pollConnect} answers "not yet". When the prime
 * answers, {@link ChannelOps#refreshSelectors} makes each selector ask again; whichever comes first, the
 * selector's {@link #interestOps} or the application's {@code finishConnect} ({@link #pollConnect}), issues the
 * kernel connect on its own thread (never on an agent thread: a channel cannot be closed under a thread that
 * is inside its {@code finishConnect} or its selector), and from then on the kernel answers as usual. A failed
 * prime is thrown by {@code finishConnect}, as a failed kernel connect would be.
 *
 * <p>An {@code AsynchronousSocketChannel} is the same but for its end: {@link #interestOps} holds back its
 * registration with the group's poller, the agent thread issues the kernel connect (close held off) and
 * registers it again; a failed prime is thrown by {@link #beforeConnected}, where the channel completes the
 * connect (its own check, SO_ERROR, would read 0 on the unconnected socket).
 *
 * <p>Thread-safe. Keyed by the socket's {@link FileDescriptor} (identity; weakly, so a channel closed and
 * dropped mid-prime leaves nothing behind).
 */
final class DeferredConnects {

  /** Answers of {@link #pollConnect} and {@link #interestOps}: let the JDK/kernel answer. */
  static final int CONTINUE = -1;
  /** Answer of {@link #pollConnect}: not connected yet. Of {@link #interestOps}: poll for nothing yet. */
  static final int NOT_YET = 0;

  private static final int PRIMING = 0;
  private static final int PRIMED = 1;
  private static final int CONNECTING = 2;
  private static final int FAILED = 3;

  /** Issues the kernel connect (re-entrancy guarded by the caller). */
  @FunctionalInterface
  interface KernelConnect {
    int connect(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port) throws IOException;
  }

  /** A prime: returns when the real connect may go ahead, or throws what the application should see. */
  @FunctionalInterface
  interface Prime {
    void run() throws IOException;
  }

  private static final class Pending {
    final WeakReference<Object> channel;
    final ProtocolFamily family;
    final InetAddress address;
    final int port;
    final AtomicInteger state = new AtomicInteger(PRIMING);
    volatile IOException failure;

    Pending(Object channel, ProtocolFamily family, InetAddress address, int port) {
      this.channel = new WeakReference<>(channel);
      this.family = family;
      this.address = address;
      this.port = port;
    }
  }

  private final Map<FileDescriptor, Pending> pending = Collections.synchronizedMap(new WeakHashMap<>());
  /** Entries started and not yet finished: the fast path of both hooks when it is 0. */
  private final AtomicInteger active = new AtomicInteger();
  private final ChannelOps channels;
  private final KernelConnect kernel;
  private final Executor primers;

  DeferredConnects(ChannelOps channels, KernelConnect kernel, Executor primers) {
    this.channels = channels;
    this.kernel = kernel;
    this.primers = primers;
  }

  /** Whether {@code channel} is a JDK socket channel whose socket is {@code fd}: only those can be deferred. */
  boolean canDefer(Object channel, FileDescriptor fd) {
    try {
      return channels.isChannelOf(channel, fd);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Records the connect of {@code channel} to {@code address:port} as pending and runs {@code prime} on an agent
   * thread.
   */
  void start(Object channel, ProtocolFamily family, FileDescriptor fd, InetAddress address, int port, Prime prime) {
    Pending p = new Pending(channel, family, address, port);
    pending.put(fd, p);
    active.incrementAndGet();
    primers.execute(() -> {
      try {
        prime.run();
        p.state.set(PRIMED);
      } catch (IOException | RuntimeException e) {
        p.failure = e instanceof IOException ? (IOException) e : new IOException("Boxer: " + e, e);
        p.state.set(FAILED);
      }
      Object ch = p.channel.get();
      if (ch == null || !((Channel) ch).isOpen()) {
        finish(fd, p); // nobody will ask any more
        return;
      }
      try {
        if (channels.isAsynchronous(ch)) {
          if (connectAsynchronous(fd, p, ch)) {
            channels.updateAsyncEvents(ch); // now the group's poller reports the connect's end (or the failure)
          }
        } else {
          channels.refreshSelectors(ch);
        }
      } catch (IOException | RuntimeException e) {
        // no selector will ask again; finishConnect still will (an asynchronous channel's close ends it)
      }
    });
  }

  /**
   * An asynchronous channel has no thread of its own to issue the kernel connect on, so the agent thread does,
   * with the channel's close held off meanwhile ({@code begin()}/{@code end()}). A failed prime is left for
   * {@link #beforeConnected}.
   *
   * @return false when the channel was closed meanwhile (nothing may touch its file descriptor any more)
   */
  private boolean connectAsynchronous(FileDescriptor fd, Pending p, Object channel) {
    if (p.state.get() != PRIMED) {
      return true;
    }
    try {
      channels.beginIo(channel);
    } catch (IOException closed) {
      finish(fd, p);
      return false;
    }
    try {
      connectNow(fd, p);
      return true;
    } finally {
      channels.endIo(channel);
    }
  }

  /** See {@link io.boxer.agent.bootstrap.SocketHook#beforeConnected}. */
  void beforeConnected(Object channel) throws IOException {
    if (active.get() == 0) {
      return;
    }
    FileDescriptor fd;
    try {
      fd = channels.fileDescriptor(channel);
    } catch (IOException | RuntimeException e) {
      return;
    }
    Pending p = pending.get(fd);
    if (p != null && p.state.get() == FAILED) {
      finish(fd, p);
      throw p.failure;
    }
  }

  /** See {@link io.boxer.agent.bootstrap.SocketHook#pollConnect}. */
  int pollConnect(FileDescriptor fd) throws IOException {
    Pending p = active.get() == 0 ? null : pending.get(fd);
    if (p == null) {
      return CONTINUE;
    }
    switch (p.state.get()) {
      case PRIMED:
        return connectNow(fd, p) ? CONTINUE : pollConnect(fd);
      case FAILED:
        finish(fd, p);
        throw p.failure;
      default: // PRIMING, or another thread is issuing the kernel connect right now
        return NOT_YET;
    }
  }

  /** See {@link io.boxer.agent.bootstrap.SocketHook#interestOps}. */
  int interestOps(Object channel) {
    if (active.get() == 0) {
      return CONTINUE;
    }
    Pending p;
    FileDescriptor fd;
    try {
      fd = channels.fileDescriptor(channel);
      p = pending.get(fd);
    } catch (IOException | RuntimeException e) {
      return CONTINUE;
    }
    if (p == null) {
      return CONTINUE;
    }
    switch (p.state.get()) {
      case PRIMING:
      case CONNECTING:
        return NOT_YET;
      case PRIMED:
        if (channels.isAsynchronous(channel)) {
          return NOT_YET; // the agent thread connects it, then registers it again
        }
        connectNow(fd, p); // success or failure, the selector now polls the socket and finishConnect reports
        return CONTINUE;
      default: // FAILED: polling the unconnected socket reports OP_CONNECT at once; finishConnect throws
        return CONTINUE;
    }
  }

  /**
   * Issues the kernel connect of a primed entry, once: false if another thread got there first (or the connect
   * failed, recorded for {@code finishConnect}).
   */
  private boolean connectNow(FileDescriptor fd, Pending p) {
    if (!p.state.compareAndSet(PRIMED, CONNECTING)) {
      return false;
    }
    boolean wasInternal = BoxerHooks.isInternal();
    BoxerHooks.enterInternal();
    try {
      kernel.connect(p.family, fd, p.address, p.port);
      finish(fd, p);
      return true;
    } catch (IOException | RuntimeException e) {
      p.failure = e instanceof IOException ? (IOException) e : new IOException("Boxer: " + e, e);
      p.state.set(FAILED);
      return false;
    } finally {
      if (!wasInternal) {
        BoxerHooks.exitInternal();
      }
    }
  }

  private void finish(FileDescriptor fd, Pending p) {
    if (pending.remove(fd, p)) {
      active.decrementAndGet();
    }
  }

  /** Connects started and not finished (for tests and diagnostics). */
  int active() {
    return active.get();
  }
}
