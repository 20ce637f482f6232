package io.boxer.agent.internal;

import io.boxer.agent.bootstrap.BoxerHooks;
import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.ref.WeakReference;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.nio.channels.Channel;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

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
 * <p>A Netty epoll channel ({@link #startNative}): Netty's {@code Socket.finishConnect} answers "not yet"
 * ({@link #nativeFinishConnect}) while the prime runs; then a task on the channel's event loop issues the kernel
 * connect, or makes Netty finish the connect so that the failure is thrown ({@link NettyEpollChannels}).
 *
 * <p>USE_RELAY: wherever the kernel connect is issued, it goes to the node's relay endpoint instead of the member
 * ({@link RelayConnect}); the rest of the life is the same.
 *
 * <p>Thread-safe. Keyed by the socket's {@link FileDescriptor} (identity; weakly, so a channel closed and
 * dropped mid-prime leaves nothing behind).
 */
final class DeferredConnects {

  /**
   * Answers of {@link #pollConnect} and {@link #interestOps}: let the JDK/kernel answer. Part of the contract
   * with the rewritten JDK code ({@link io.boxer.agent.bootstrap.SocketHook}), hence an int.
   */
  static final int CONTINUE = -1;
  /** Answer of {@link #pollConnect}: not connected yet. Of {@link #interestOps}: poll for nothing yet. */
  static final int NOT_YET = 0;

  private static final long SWEEP_INTERVAL_NANOS = 1_000_000_000L;

  /**
   * Where a deferred connect is. PRIMING -> PRIMED | FAILED on the agent thread; PRIMED -> CONNECTING once, by
   * compare-and-set, on whichever thread issues the kernel connect; CONNECTING -> FAILED if that connect fails
   * (a successful one finishes the entry).
   */
  private enum State {
    PRIMING,
    PRIMED,
    CONNECTING,
    FAILED
  }

  /** Kinds of deferred channel, each with its own way to resume once the prime has answered. */
  private enum Kind {
    /** A JDK selectable SocketChannel: its selectors ask again and issue the kernel connect themselves. */
    SELECTABLE {
      @Override
      void resume(DeferredConnects connects, Object key, Pending p, Object channel) throws IOException {
        connects.channels.refreshSelectors(channel);
      }
    },
    /** A JDK AsynchronousSocketChannel: the agent thread issues the kernel connect and registers it again. */
    ASYNCHRONOUS {
      @Override
      void resume(DeferredConnects connects, Object key, Pending p, Object channel) throws IOException {
        connects.resumeAsynchronous((FileDescriptor) key, p, channel);
      }
    },
    /** A Netty epoll channel: its event loop issues the kernel connect. */
    NETTY_EPOLL {
      @Override
      void resume(DeferredConnects connects, Object key, Pending p, Object channel) throws IOException {
        connects.netty.execute(channel, () -> connects.resumeOnEventLoop(key, p, channel));
      }

      @Override
      boolean isOpen(DeferredConnects connects, Object channel) {
        return connects.netty.isOpen(channel);
      }
    };

    /** On the agent thread, once the prime has answered: whatever lets the application learn its outcome. */
    abstract void resume(DeferredConnects connects, Object key, Pending p, Object channel) throws IOException;

    boolean isOpen(DeferredConnects connects, Object channel) {
      return ((Channel) channel).isOpen();
    }

    /** Whether the kernel connect is issued by the channel's selectors (so they must be refreshed after it). */
    boolean isPolledBySelectors() {
      return this == SELECTABLE;
    }
  }

  /**
   * A prime: returns when the real connect may go ahead, or throws what the application should see.
   *
   * @return the node's relay endpoint to connect to instead of the member, or null to connect as asked
   */
  @FunctionalInterface
  interface Prime {
    InetSocketAddress run() throws IOException;
  }

  private static final class Pending {
    final WeakReference<Object> channel;
    final Kind kind;
    /** The socket the kernel connect goes to (for Netty, a JDK view of its descriptor). */
    final FileDescriptor kernelFd;
    final ProtocolFamily family;
    final InetAddress address;
    final int port;
    final AtomicReference<State> state = new AtomicReference<>(State.PRIMING);
    volatile IOException failure;
    /** Where the kernel connect goes instead of address:port (USE_RELAY), or null; set before PRIMED. */
    volatile InetSocketAddress relay;

    Pending(Object channel, Kind kind, FileDescriptor kernelFd, ProtocolFamily family, InetAddress address,
        int port) {
      this.channel = new WeakReference<>(channel);
      this.kind = kind;
      this.kernelFd = kernelFd;
      this.family = family;
      this.address = address;
      this.port = port;
    }
  }

  /**
   * Keyed by the socket: its JDK {@link FileDescriptor}, or Netty's socket object (identity, weakly). Guarded by
   * itself (a synchronized map); {@link #active} mirrors its size.
   */
  private final Map<Object, Pending> pending = Collections.synchronizedMap(new WeakHashMap<>());
  /** Entries not finished: the fast path of every hook when it is 0. Set from the map's size, under its lock. */
  private final AtomicInteger active = new AtomicInteger();
  private final ChannelOps channels;
  private final NettyEpollChannels netty;
  private final RelayConnect.Kernel kernel;
  private final Executor primers;
  /** {@link System#nanoTime()} of the last sweep of entries whose channel is gone or closed. */
  private volatile long lastSweep = System.nanoTime();

  /** @param kernel issues the kernel connects (the caller holds the re-entrancy guard) */
  DeferredConnects(ChannelOps channels, NettyEpollChannels netty, RelayConnect.Kernel kernel, Executor primers) {
    this.channels = channels;
    this.netty = netty;
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
   *
   * @throws ConnectException when no prime can be started (the connect then fails with it)
   */
  void start(Object channel, ProtocolFamily family, FileDescriptor fd, InetAddress address, int port, Prime prime)
      throws ConnectException {
    Kind kind = channels.isAsynchronous(channel) ? Kind.ASYNCHRONOUS : Kind.SELECTABLE;
    start(fd, new Pending(channel, kind, fd, family, address, port), prime);
  }

  /** Whether {@code channel} is a Netty epoll channel whose socket is {@code socket}: those can be deferred too. */
  boolean canDeferNative(Object channel, Object socket) {
    return netty.isChannelOf(channel, socket);
  }

  /**
   * {@link #start} for a Netty epoll channel, called on its event loop from Netty's {@code Socket.connect}.
   *
   * @param fd a JDK view of the socket's descriptor, for the kernel connect
   */
  void startNative(Object channel, Object socket, ProtocolFamily family, FileDescriptor fd, InetAddress address,
      int port, Prime prime) throws ConnectException {
    start(socket, new Pending(channel, Kind.NETTY_EPOLL, fd, family, address, port), prime);
  }

  private void start(Object key, Pending p, Prime prime) throws ConnectException {
    sweep();
    synchronized (pending) {
      pending.put(key, p);
      active.set(pending.size());
    }
    try {
      primers.execute(() -> primeThenResume(key, p, prime));
    } catch (Throwable t) { // e.g. no thread can be created
      finish(key, p);
      ConnectException e = new ConnectException("Boxer: cannot start the prime of " + p.address.getHostAddress()
          + ":" + p.port + ": " + t);
      e.initCause(t);
      throw e;
    }
  }

  /** On an agent thread: the prime, then whatever lets the application learn its outcome. */
  private void primeThenResume(Object key, Pending p, Prime prime) {
    try {
      p.relay = prime.run();
      p.state.set(State.PRIMED);
    } catch (Throwable t) { // whatever happens, the connect must end: a stuck PRIMING would never be polled
      p.failure = t instanceof IOException ? (IOException) t : new IOException("Boxer: priming failed: " + t, t);
      p.state.set(State.FAILED);
    }
    Object ch = p.channel.get();
    if (ch == null || !p.kind.isOpen(this, ch)) {
      finish(key, p); // nobody will ask any more
      return;
    }
    try {
      p.kind.resume(this, key, p, ch);
    } catch (IOException | RuntimeException e) {
      // no selector will ask again; finishConnect still will (an asynchronous channel's close ends it)
    }
  }

  /**
   * An asynchronous channel has no thread of its own to issue the kernel connect on, so the agent thread does,
   * then registers the channel with its group's poller again, all with the channel's close held off
   * ({@code begin()}/{@code end()}): neither may touch a descriptor that was closed meanwhile. A failed prime
   * is then reported where the channel completes the connect ({@link #beforeConnected}).
   */
  private void resumeAsynchronous(FileDescriptor fd, Pending p, Object channel) throws IOException {
    try {
      channels.beginIo(channel);
    } catch (IOException closed) {
      finish(fd, p);
      return;
    }
    try {
      if (p.state.get() == State.PRIMED) {
        connectNow(fd, p);
      }
      channels.updateAsyncEvents(channel);
    } finally {
      channels.endIo(channel);
    }
  }

  /**
   * On a Netty channel's event loop, where Netty itself closes the channel (so the descriptor cannot be closed
   * under the kernel connect): the kernel connect, after which epoll reports the connect's end as usual; or,
   * for a failed prime (or kernel connect), Netty's own finish of the connect, which asks
   * {@link #nativeFinishConnect} and fails the connect with the failure.
   */
  private void resumeOnEventLoop(Object socket, Pending p, Object channel) {
    if (!netty.isOpen(channel)) {
      finish(socket, p);
      return;
    }
    if (p.state.get() == State.PRIMED) {
      connectNow(socket, p);
    }
    if (p.state.get() == State.FAILED) {
      try {
        netty.finishConnectNow(channel);
      } catch (IOException | RuntimeException e) {
        // Netty's own connect timeout (if any) ends it; the entry is swept once the channel is closed
      }
    }
  }

  /** See {@link io.boxer.agent.bootstrap.SocketHook#nativeFinishConnect}. */
  int nativeFinishConnect(Object socket) throws IOException {
    if (active.get() == 0) {
      return CONTINUE;
    }
    Pending p = pending.get(socket);
    if (p == null) {
      maybeSweep();
      return CONTINUE;
    }
    if (p.state.get() == State.FAILED) {
      finish(socket, p);
      throw p.failure;
    }
    return NOT_YET; // priming, or primed and the kernel connect queued on this event loop
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
    if (p != null && p.state.get() == State.FAILED) {
      finish(fd, p);
      throw p.failure;
    }
  }

  /** See {@link io.boxer.agent.bootstrap.SocketHook#pollConnect}. */
  int pollConnect(FileDescriptor fd) throws IOException {
    if (active.get() == 0) {
      return CONTINUE;
    }
    Pending p = pending.get(fd);
    if (p == null) {
      maybeSweep();
      return CONTINUE;
    }
    switch (p.state.get()) {
      case PRIMED:
        if (connectNow(fd, p)) {
          refreshLater(p); // a selector that saw CONNECTING registered nothing
          return CONTINUE;
        }
        return pollConnect(fd); // lost the race, or the kernel connect failed: ask again
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
      maybeSweep();
      return CONTINUE;
    }
    switch (p.state.get()) {
      case PRIMING:
      case CONNECTING:
        return NOT_YET; // whoever ends these refreshes the selectors
      case PRIMED:
        if (p.kind == Kind.ASYNCHRONOUS) {
          return NOT_YET; // the agent thread connects it, then registers it again
        }
        if (connectNow(fd, p)) {
          refreshLater(p); // other selectors of the channel may have seen CONNECTING
          return CONTINUE;
        }
        // lost the race (NOT_YET until the winner refreshes) or the kernel connect failed (CONTINUE: the
        // selector reports OP_CONNECT and finishConnect throws)
        return p.state.get() == State.FAILED ? CONTINUE : NOT_YET;
      default: // FAILED: polling the unconnected socket reports OP_CONNECT at once; finishConnect throws
        return CONTINUE;
    }
  }

  /**
   * Issues the kernel connect of a primed entry, once: true when this thread issued it and it did not fail (the
   * entry is then finished); false if another thread got there first, or the connect failed (recorded for
   * {@code finishConnect}, and the selectors refreshed so that they report it).
   */
  private boolean connectNow(Object key, Pending p) {
    if (!p.state.compareAndSet(State.PRIMED, State.CONNECTING)) {
      return false;
    }
    boolean wasInternal = BoxerHooks.isInternal();
    BoxerHooks.enterInternal();
    try {
      InetSocketAddress relay = p.relay;
      if (relay == null) {
        kernel.connect(p.family, p.kernelFd, p.address, p.port);
      } else {
        RelayConnect.connect(kernel, p.family, p.kernelFd, p.address, p.port, relay);
      }
      finish(key, p);
      return true;
    } catch (IOException | RuntimeException e) {
      p.failure = e instanceof IOException ? (IOException) e : new IOException("Boxer: " + e, e);
      p.state.set(State.FAILED);
      refreshLater(p);
      return false;
    } finally {
      if (!wasInternal) {
        BoxerHooks.exitInternal();
      }
    }
  }

  /**
   * Refreshes the selectors of a selectable channel on an agent thread, never on the calling one: a selector
   * thread calls the hooks with its update lock held, and the refresh takes the channel's key lock, which
   * {@code register} takes before a selector's update lock.
   */
  private void refreshLater(Pending p) {
    Object ch = p.channel.get();
    if (ch == null || !p.kind.isPolledBySelectors()) {
      return;
    }
    try {
      primers.execute(() -> {
        try {
          channels.refreshSelectors(ch);
        } catch (IOException | RuntimeException e) {
          // the channel was closed meanwhile: nothing polls it any more
        }
      });
    } catch (Throwable t) {
      // no agent thread: a selector that saw CONNECTING reports the connect at its next interest change
    }
  }

  private void finish(Object key, Pending p) {
    synchronized (pending) {
      pending.remove(key, p);
      active.set(pending.size()); // size() also drops the entries of channels collected meanwhile
    }
  }

  /**
   * Drops the entries whose channel was collected or closed without the connect ending (closed mid-prime, a
   * failed connect never finished): without this they would keep every hook off its fast path. Runs before
   * each new deferred connect and, at most once a second, when a hook finds no entry while some are active.
   */
  private void sweep() {
    lastSweep = System.nanoTime();
    synchronized (pending) {
      pending.values().removeIf(p -> {
        Object ch = p.channel.get();
        return ch == null || !p.kind.isOpen(this, ch);
      });
      active.set(pending.size());
    }
  }

  private void maybeSweep() {
    if (System.nanoTime() - lastSweep > SWEEP_INTERVAL_NANOS) {
      sweep();
    }
  }

  /** Connects started and not finished (for tests and diagnostics). */
  int active() {
    return active.get();
  }
}
