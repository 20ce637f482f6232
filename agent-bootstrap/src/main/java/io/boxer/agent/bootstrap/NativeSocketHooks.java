package io.boxer.agent.bootstrap;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;

/**
 * The only class that the code inserted into Netty's native {@code ...channel.unix.Socket} (any relocation, e.g.
 * grpc-netty-shaded's) calls, at the entry of {@code connect(SocketAddress)} and {@code bind(SocketAddress)}.
 * JDK-only and loaded by the boot class loader, like {@link BoxerHooks}, to which it forwards: the Netty socket's
 * file descriptor number ({@code intValue()}, found by reflection and cached per class) becomes a
 * {@link FileDescriptor} through the {@link NativeFds} the agent installs, so priming, the own-address rewrite
 * and SO_REUSEPORT work exactly as for JDK sockets. Does nothing until {@link #install(NativeFds)}.
 *
 * <p>Never logs. {@link #beforeConnect} throws only {@link ConnectException}; {@link #beforeBind} throws nothing.
 * Re-entrancy: threads inside Boxer code ({@link BoxerHooks#isInternal()}) are not intercepted.
 */
public final class NativeSocketHooks {

  /** What the agent provides: JDK views of a native socket's file descriptor. Thread-safe. */
  public interface NativeFds {

    /** A {@link FileDescriptor} for the descriptor number {@code fd}; closing is left to its owner (Netty). */
    FileDescriptor fileDescriptor(int fd) throws IOException;

    /** The address family of the socket {@code fd} (INET or INET6). */
    ProtocolFamily family(FileDescriptor fd) throws IOException;
  }


  /**
   * Returned by {@link #beforeConnect} to defer the kernel connect: the code inserted into Netty's
   * {@code Socket.connect} then returns false ("in progress"). Compared by identity.
   */
  public static final SocketAddress DEFERRED_CONNECT = InetSocketAddress.createUnresolved("boxer-deferred", 1);

  /** The Netty epoll channel whose connect is on its way to {@code Socket.connect} on this thread. */
  private static final ThreadLocal<Object> CHANNEL = new ThreadLocal<>();

  /** {@code public int intValue()} of a native socket class, or null when the class has none. */
  private static final ClassValue<Method> INT_VALUE = new ClassValue<>() {
    @Override
    protected Method computeValue(Class<?> type) {
      try {
        Method m = type.getMethod("intValue");
        return m.getReturnType() == int.class ? m : null;
      } catch (NoSuchMethodException | RuntimeException e) {
        return null;
      }
    }
  };

  private NativeSocketHooks() {}

  /** Installs the descriptor access (or removes it, with null); the agent uses {@link InstalledHooks} instead. */
  public static void install(NativeFds newFds) {
    InstalledHooks.nativeFds = newFds;
  }

  /**
   * Called on entry of {@code AbstractEpollChannel.doConnect0} (any relocation): notes the channel for the
   * {@code Socket.connect} that follows on this thread (its event loop), so that its prime may run without
   * blocking the loop. Never throws.
   */
  public static void beforeChannelConnect(Object channel) {
    if (InstalledHooks.nativeFds != null && BoxerHooks.installed() != null) {
      CHANNEL.set(channel);
    }
  }

  /**
   * Called on entry of {@code Socket.finishConnect()} of a Netty native socket.
   *
   * @return -1 to let Netty's native check answer, 0 for "not connected yet" (a deferred connect still priming)
   * @throws IOException the failure of a deferred connect
   */
  public static int finishConnect(Object socket) throws IOException {
    SocketHook h = BoxerHooks.installed();
    return h == null ? -1 : h.nativeFinishConnect(socket);
  }

  /**
   * Called on entry of {@code Socket.connect(SocketAddress)} of a Netty native socket.
   *
   * @return the address the socket connects to: {@code remote} itself unless Boxer rewrites it, or
   *     {@link #DEFERRED_CONNECT}
   */
  public static SocketAddress beforeConnect(Object socket, SocketAddress remote)
      throws ConnectException, SocketTimeoutException {
    Object channel = CHANNEL.get();
    if (channel != null) {
      CHANNEL.remove(); // the note is for this connect only
    }
    NativeFds f = InstalledHooks.nativeFds;
    if (f == null || !(remote instanceof InetSocketAddress) || BoxerHooks.isInternal()) {
      return remote;
    }
    InetSocketAddress inet = (InetSocketAddress) remote;
    InetAddress address = inet.getAddress();
    SocketHook h = BoxerHooks.installed();
    if (address == null || h == null) {
      return remote;
    }
    FileDescriptor fd;
    ProtocolFamily family;
    BoxerHooks.enterInternal();
    try {
      if (!h.interceptsConnect(address)) {
        return remote;
      }
      fd = f.fileDescriptor(fdOf(socket));
      family = f.family(fd);
    } catch (Throwable t) {
      ConnectException e = new ConnectException("Boxer: internal error before connect to "
          + address.getHostAddress() + ":" + inet.getPort() + ": " + t);
      e.initCause(t);
      throw e;
    } finally {
      BoxerHooks.exitInternal();
    }
    InetAddress target = channel == null ? BoxerHooks.beforeConnect(family, fd, address, inet.getPort())
        : BoxerHooks.beforeNativeConnect(family, fd, address, inet.getPort(), socket, channel);
    if (target == BoxerHooks.DEFERRED_CONNECT) {
      return DEFERRED_CONNECT;
    }
    return target == address ? remote : new InetSocketAddress(target, inet.getPort());
  }

  /**
   * Called on entry of {@code Socket.bind(SocketAddress)} of a Netty native socket. Never throws: a bind never
   * fails because of Boxer.
   *
   * @return the address the socket binds to: {@code local} itself unless Boxer rewrites it
   */
  public static SocketAddress beforeBind(Object socket, SocketAddress local) {
    try {
      NativeFds f = InstalledHooks.nativeFds;
      if (f == null || !(local instanceof InetSocketAddress) || BoxerHooks.isInternal()
          || BoxerHooks.installed() == null) {
        return local;
      }
      InetSocketAddress inet = (InetSocketAddress) local;
      InetAddress address = inet.getAddress();
      if (address == null) {
        return local;
      }
      FileDescriptor fd;
      ProtocolFamily family;
      BoxerHooks.enterInternal();
      try {
        fd = f.fileDescriptor(fdOf(socket));
        family = f.family(fd);
      } finally {
        BoxerHooks.exitInternal();
      }
      InetAddress target = BoxerHooks.beforeBind(family, fd, address, inet.getPort());
      return target == address ? local : new InetSocketAddress(target, inet.getPort());
    } catch (Throwable ignored) {
      return local;
    }
  }

  private static int fdOf(Object socket) throws ReflectiveOperationException {
    Method intValue = INT_VALUE.get(socket.getClass());
    if (intValue == null) {
      throw new NoSuchMethodException(socket.getClass().getName() + ".intValue()");
    }
    return (int) intValue.invoke(socket);
  }

  /** For tests. */
  static NativeFds installed() {
    return InstalledHooks.nativeFds;
  }
}
