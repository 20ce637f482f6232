package io.boxer.agent.bootstrap;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.SelectableChannel;
import jdk.internal.vm.annotation.DontInline;

/**
 * The only class that the code inserted into {@code sun.nio.ch.Net} calls ({@link NativeSocketHooks}, called from
 * Netty's native sockets, forwards here too). JDK-only and loaded by the boot class loader; it forwards to the
 * {@link SocketHook} the agent installs at premain and does nothing until then.
 *
 * <p>Re-entrancy: while a hook method runs on a thread (and on threads that called {@link #enterInternal()}),
 * connects and binds on that thread are not intercepted, so the agent's own sockets never reach the hook.
 *
 * <p>Not inlined: the hooks the JDK's connect, bind and channel code calls are {@link DontInline}, which the JVM
 * honours for classes of the boot class path. Inlined, the hook and everything it calls (the prime's whole client
 * path) became part of every JDK connect method the JIT compiled, which made those compiles the largest of a
 * connecting JVM and left its connects on slower code for longer (docs/prime-path.md, "The hook out of the JDK's
 * compiled connect"); compiled on its own, the hook costs a call per connect.
 *
 * <p>Never logs. {@link #beforeConnect} throws only {@link ConnectException} (deliberate failures, and any
 * unexpected failure of the hook wrapped as {@code "Boxer: ..."}); {@link #pollConnect} only the failure of a
 * deferred connect; the other hooks throw nothing.
 */
public final class BoxerHooks {

  /**
   * Returned by {@link #beforeConnect} to defer the kernel connect: the code inserted into {@code Net.connect}
   * then returns {@code IOStatus.UNAVAILABLE} ("in progress") without calling the kernel. Compared by identity.
   */
  public static final InetAddress DEFERRED_CONNECT = sentinel();

  /** The non-blocking channel whose connect is on its way to {@code Net.connect} on this thread. */
  private static final ThreadLocal<Object> NON_BLOCKING_CHANNEL = new ThreadLocal<>();

  /** The deadline of the timed connect this thread is making: {remote InetSocketAddress, Long nanoTime}. */
  private static final ThreadLocal<Object[]> CONNECT_DEADLINE = new ThreadLocal<>();

  /** Non-null while the current thread is inside Boxer code. */
  private static final ThreadLocal<Boolean> INTERNAL = new ThreadLocal<>();

  private BoxerHooks() {}

  /** Installs the hook (or removes it, with null); the agent uses {@link InstalledHooks} instead. */
  public static void install(SocketHook newHook) {
    InstalledHooks.socket = newHook;
  }

  /** Marks the current thread as Boxer-internal until {@link #exitInternal()}: nothing on it is intercepted. */
  public static void enterInternal() {
    INTERNAL.set(Boolean.TRUE);
  }

  /** Ends {@link #enterInternal()}. */
  public static void exitInternal() {
    INTERNAL.remove();
  }

  /** Whether the current thread is inside Boxer code. */
  public static boolean isInternal() {
    return INTERNAL.get() != null;
  }

  /**
   * Called on entry of {@code NioSocketImpl.connect(SocketAddress, int)}: notes the deadline of a timed
   * {@code Socket.connect} so that priming counts against it. Never throws.
   */
  public static void connectTimeout(SocketAddress remote, int millis) {
    try {
      if (millis > 0 && remote instanceof InetSocketAddress && !((InetSocketAddress) remote).isUnresolved()) {
        CONNECT_DEADLINE.set(new Object[] {remote, System.nanoTime() + millis * 1_000_000L});
      } else {
        CONNECT_DEADLINE.remove();
      }
    } catch (Throwable ignored) {
      // never fail the application's connect
    }
  }

  /**
   * The deadline ({@link System#nanoTime()}) of the timed connect to {@code address:port} this thread started,
   * or 0 if there is none; the note is consumed either way, so it never outlives one connect.
   */
  public static long takeConnectDeadline(InetAddress address, int port) {
    Object[] note = CONNECT_DEADLINE.get();
    if (note == null) {
      return 0;
    }
    CONNECT_DEADLINE.remove();
    InetSocketAddress remote = (InetSocketAddress) note[0];
    return remote.getPort() == port && address.equals(remote.getAddress()) ? (Long) note[1] : 0;
  }

  /**
   * Called on entry of {@code SocketChannelImpl.connect(SocketAddress)} and
   * {@code UnixAsynchronousSocketChannelImpl.implConnect}: notes a non-blocking or asynchronous channel for the
   * {@code Net.connect} that follows on this thread, so that its prime may run without blocking the caller.
   * Never throws.
   */
  @DontInline
  public static void beforeChannelConnect(Object channel) {
    try {
      if (InstalledHooks.socket != null && (channel instanceof AsynchronousSocketChannel
          || channel instanceof SelectableChannel && !((SelectableChannel) channel).isBlocking())) {
        NON_BLOCKING_CHANNEL.set(channel);
      } else {
        NON_BLOCKING_CHANNEL.remove();
      }
    } catch (Throwable ignored) {
      // never fail the application's connect
    }
  }

  /**
   * Called on entry of {@code Net.connect(ProtocolFamily, FileDescriptor, InetAddress, int)}.
   *
   * @return the address to connect to, or {@link #DEFERRED_CONNECT}
   */
  @DontInline
  public static InetAddress beforeConnect(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port)
      throws ConnectException, SocketTimeoutException {
    Object channel = NON_BLOCKING_CHANNEL.get();
    if (channel != null) {
      NON_BLOCKING_CHANNEL.remove(); // the note is for this connect only
    }
    return guardedConnect(family, fd, address, port, null, channel);
  }

  /**
   * {@link #beforeConnect} for a Netty epoll channel's connect, from {@link NativeSocketHooks} on the channel's
   * event loop: the hook may defer it ({@link #DEFERRED_CONNECT}).
   */
  @DontInline
  static InetAddress beforeNativeConnect(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port,
      Object socket, Object channel) throws ConnectException, SocketTimeoutException {
    return guardedConnect(family, fd, address, port, socket, channel);
  }

  /**
   * The hook's connect for a member, inside the re-entrancy guard, its unexpected failures wrapped as
   * {@code "Boxer: ..."}: {@link SocketHook#beforeNativeNonBlockingConnect} for a Netty socket,
   * {@link SocketHook#beforeNonBlockingConnect} for a noted channel, else {@link SocketHook#beforeConnect}.
   */
  private static InetAddress guardedConnect(ProtocolFamily family, FileDescriptor fd, InetAddress address,
      int port, Object nativeSocket, Object channel) throws ConnectException, SocketTimeoutException {
    SocketHook h = InstalledHooks.socket;
    if (h == null || address == null || INTERNAL.get() != null || !h.interceptsConnect(address)) {
      return address;
    }
    INTERNAL.set(Boolean.TRUE);
    try {
      InetAddress target;
      if (nativeSocket != null) {
        target = h.beforeNativeNonBlockingConnect(family, fd, address, port, nativeSocket, channel);
      } else if (channel != null) {
        target = h.beforeNonBlockingConnect(family, fd, address, port, channel);
      } else {
        target = h.beforeConnect(family, fd, address, port);
      }
      return target == null ? address : target;
    } catch (ConnectException | SocketTimeoutException e) {
      throw e;
    } catch (Throwable t) {
      ConnectException e = new ConnectException("Boxer: internal error before connect to "
          + address.getHostAddress() + ":" + port + ": " + t);
      e.initCause(t);
      throw e;
    } finally {
      INTERNAL.remove();
    }
  }

  /**
   * Called on entry of {@code Net.pollConnectNow(FileDescriptor)}.
   *
   * @return -1 to let the kernel answer, 0 for "not connected yet" (a deferred connect still priming)
   * @throws IOException the failure of a deferred connect (its prime failed, or the kernel connect did)
   */
  public static int pollConnect(FileDescriptor fd) throws IOException {
    SocketHook h = InstalledHooks.socket;
    if (h == null || fd == null) {
      return -1;
    }
    try {
      return h.pollConnect(fd);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException("Boxer: " + t, t);
    }
  }

  /**
   * Called on entry of {@code SocketChannelImpl.translateInterestOps(int)}, the events a selector registers for a
   * channel, and of {@code UnixAsynchronousSocketChannelImpl.updateEvents()} (with 0; any answer but -1 skips
   * the registration). Never throws.
   *
   * @return -1 for the channel's own translation, or the events to register instead (0 while a deferred connect
   *     is still priming)
   */
  public static int interestOps(Object channel, int ops) {
    SocketHook h = InstalledHooks.socket;
    if (h == null) {
      return -1;
    }
    try {
      return h.interestOps(channel, ops);
    } catch (Throwable ignored) {
      return -1;
    }
  }

  /**
   * Called on entry of {@code UnixAsynchronousSocketChannelImpl.setConnected()}, where an asynchronous channel
   * completes its connect.
   *
   * @throws IOException the failure of a deferred connect, which the channel then reports as the connect's
   */
  @DontInline
  public static void beforeConnected(Object channel) throws IOException {
    SocketHook h = InstalledHooks.socket;
    if (h != null) {
      h.beforeConnected(channel);
    }
  }

  /** Called on entry of {@code Net.bind(ProtocolFamily, FileDescriptor, InetAddress, int)}. */
  @DontInline
  public static InetAddress beforeBind(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port) {
    SocketHook h = InstalledHooks.socket;
    if (h == null || INTERNAL.get() != null) {
      return address;
    }
    INTERNAL.set(Boolean.TRUE);
    try {
      InetAddress target = h.beforeBind(family, fd, address, port);
      return target == null ? address : target;
    } catch (Throwable ignored) {
      // A bind never fails because of Boxer; the socket simply stays without SO_REUSEPORT.
      return address;
    } finally {
      INTERNAL.remove();
    }
  }

  private static InetAddress sentinel() {
    try {
      return InetAddress.getByAddress("boxer-deferred-connect", new byte[4]);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** The installed hook, or null (for {@link NativeSocketHooks}, which shares it, and for tests). */
  static SocketHook installed() {
    return InstalledHooks.socket;
  }
}
