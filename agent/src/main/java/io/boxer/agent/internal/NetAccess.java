package io.boxer.agent.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import java.net.SocketOption;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * {@link SocketOps} through method handles on {@code sun.nio.ch.Net} (present with these signatures on JDK 17
 * and 25): {@code private static native int getIntOption0(FileDescriptor, boolean, int, int)},
 * {@code static void setSocketOption(FileDescriptor, SocketOption, Object)},
 * {@code private static native int localPort(FileDescriptor)},
 * {@code static void bind(ProtocolFamily, FileDescriptor, InetAddress, int)},
 * {@code static int connect(ProtocolFamily, FileDescriptor, InetAddress, int)} and
 * {@code public static native boolean pollConnect(FileDescriptor, long)} (not hooked: only
 * {@code pollConnectNow} is); on {@code sun.nio.ch.IOUtil}: {@code public static native int fdVal(FileDescriptor)}
 * and {@code public static native void configureBlocking(FileDescriptor, boolean)}; and to abort a connect, the
 * datagram channel's disconnect, {@code private static native void disconnect0(FileDescriptor, boolean)} of
 * {@code sun.nio.ch.DatagramChannelImpl} ({@code connect} to {@code AF_UNSPEC}, which ends a TCP connect too).
 * Requires {@code sun.nio.ch} to be open to this module at the first call. Thread-safe.
 */
final class NetAccess implements SocketOps {

  private static final int SOCK_STREAM = 1;
  private static final int SO_REUSEADDR_LINUX = 2;
  private static final int SO_REUSEPORT_LINUX = 15;
  private static final int SO_REUSEADDR_BSD = 0x4;
  private static final int SO_REUSEPORT_BSD = 0x200;
  private static final int SO_DOMAIN_LINUX = 39;
  private static final int AF_INET_LINUX = 2;
  private static final int AF_INET6_LINUX = 10;
  private static final int SO_ERROR_LINUX = 4;
  /** O_NONBLOCK on Linux (x86-64 and arm64), octal as /proc/self/fdinfo prints the flags. */
  private static final int O_NONBLOCK_LINUX = 04000;

  private final int solSocket;
  private final int soType;
  private final int soReuseAddr;
  private final int soReusePort;
  private final PortsInUse portsInUse;
  /** Looked up at the first use: Net is loaded and sun.nio.ch open to the agent by then, not at premain. */
  private volatile Handles handles;
  /** Looked up at the first aborted connect only: it loads DatagramChannelImpl, which most applications never do. */
  private volatile MethodHandle disconnect;

  /** The method handles on Net. Immutable. */
  private static final class Handles {
    final MethodHandle getIntOption0;
    final MethodHandle setSocketOption;
    final MethodHandle localPort;
    final MethodHandle bind;
    final MethodHandle connect;
    final MethodHandle pollConnect;
    final MethodHandle fdVal;
    final MethodHandle configureBlocking;

    Handles(MethodHandles.Lookup net, MethodHandles.Lookup ioUtil) throws ReflectiveOperationException {
      Class<?> c = net.lookupClass();
      getIntOption0 = net.findStatic(c, "getIntOption0",
          MethodType.methodType(int.class, FileDescriptor.class, boolean.class, int.class, int.class));
      setSocketOption = net.findStatic(c, "setSocketOption",
          MethodType.methodType(void.class, FileDescriptor.class, SocketOption.class, Object.class));
      localPort = net.findStatic(c, "localPort", MethodType.methodType(int.class, FileDescriptor.class));
      bind = net.findStatic(c, "bind", MethodType.methodType(
          void.class, ProtocolFamily.class, FileDescriptor.class, InetAddress.class, int.class));
      connect = net.findStatic(c, "connect", MethodType.methodType(
          int.class, ProtocolFamily.class, FileDescriptor.class, InetAddress.class, int.class));
      pollConnect = net.findStatic(c, "pollConnect",
          MethodType.methodType(boolean.class, FileDescriptor.class, long.class));
      fdVal = ioUtil.findStatic(ioUtil.lookupClass(), "fdVal", MethodType.methodType(int.class, FileDescriptor.class));
      configureBlocking = ioUtil.findStatic(ioUtil.lookupClass(), "configureBlocking",
          MethodType.methodType(void.class, FileDescriptor.class, boolean.class));
    }
  }

  private NetAccess(int solSocket, int soType) {
    this.solSocket = solSocket;
    this.soType = soType;
    boolean linux = solSocket == 1;
    this.soReuseAddr = linux ? SO_REUSEADDR_LINUX : SO_REUSEADDR_BSD;
    this.soReusePort = linux ? SO_REUSEPORT_LINUX : SO_REUSEPORT_BSD;
    this.portsInUse = linux ? PortsInUse.proc() : null;
  }

  /**
   * An instance for this OS; the handles are looked up at the first call of a method.
   *
   * @throws IllegalStateException when the OS is unsupported
   */
  static NetAccess create() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.contains("linux")) {
      return new NetAccess(1, 3);
    } else if (os.contains("mac") || os.contains("bsd")) {
      return new NetAccess(0xffff, 0x1008);
    }
    throw new IllegalStateException("os.name : " + os + " (expected: linux or macOS)");
  }

  /**
   * The handles, looked up now if needed.
   *
   * @throws IllegalStateException when Net lacks a method (the message says which) or is not open to the agent
   */
  private Handles handles() {
    Handles h = handles;
    if (h == null) {
      try {
        Class<?> net = Class.forName("sun.nio.ch.Net");
        Class<?> ioUtil = Class.forName("sun.nio.ch.IOUtil");
        h = new Handles(MethodHandles.privateLookupIn(net, MethodHandles.lookup()),
            MethodHandles.privateLookupIn(ioUtil, MethodHandles.lookup()));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("sun.nio.ch.Net or IOUtil of Java " + Runtime.version()
            + " lacks a method the agent needs: " + e, e);
      }
      handles = h; // a race looks them up twice, harmlessly
    }
    return h;
  }

  @Override
  public boolean isStream(FileDescriptor fd) throws IOException {
    try {
      return (int) handles().getIntOption0.invokeExact(fd, false, solSocket, soType) == SOCK_STREAM;
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
  }

  /**
   * The address family of the socket {@code fd}, from {@code SO_DOMAIN} (Linux only).
   *
   * @throws IOException when the option cannot be read or the family is neither INET nor INET6
   */
  ProtocolFamily family(FileDescriptor fd) throws IOException {
    int domain;
    try {
      domain = (int) handles().getIntOption0.invokeExact(fd, false, solSocket, SO_DOMAIN_LINUX);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
    return switch (domain) {
      case AF_INET_LINUX -> StandardProtocolFamily.INET;
      case AF_INET6_LINUX -> StandardProtocolFamily.INET6;
      default -> throw new IOException("socket domain : " + domain + " (expected: AF_INET or AF_INET6)");
    };
  }

  @Override
  public void setReusePort(FileDescriptor fd) throws IOException {
    try {
      handles().setSocketOption.invokeExact(fd, (SocketOption<?>) StandardSocketOptions.SO_REUSEPORT,
          (Object) Boolean.TRUE);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
  }

  @Override
  public boolean portTaken(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port)
      throws IOException {
    if (intOption(fd, soReusePort) != 0) {
      return false; // the application asked to share the port: as without Boxer, the kernel decides
    }
    if (portsInUse == null) {
      return false; // macOS: no /proc; binds share ports there as before
    }
    return portsInUse.taken(address, port, intOption(fd, soReuseAddr) == 0);
  }

  private int intOption(FileDescriptor fd, int option) throws IOException {
    try {
      return (int) handles().getIntOption0.invokeExact(fd, false, solSocket, option);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
  }

  @Override
  public int localPort(FileDescriptor fd) throws IOException {
    try {
      return (int) handles().localPort.invokeExact(fd);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
  }

  @Override
  public void bind(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port) throws IOException {
    try {
      handles().bind.invokeExact(family, fd, address, port);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
  }

  /**
   * The JDK's connect of {@code fd} (non-blocking or not, as the socket is): 1 when connected, -2
   * ({@code IOStatus.UNAVAILABLE}) when in progress. The caller holds the re-entrancy guard, so it is not hooked.
   */
  @Override
  public int connect(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port) throws IOException {
    try {
      return (int) handles().connect.invokeExact(family, fd, address, port);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
  }

  @Override
  public boolean awaitConnect(FileDescriptor fd, long timeoutMillis) throws IOException {
    try {
      return (boolean) handles().pollConnect.invokeExact(fd, timeoutMillis);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
  }

  /** Reads the O_NONBLOCK flag from {@code /proc/self/fdinfo} (Linux; elsewhere an IOException). */
  @Override
  public boolean isBlocking(FileDescriptor fd) throws IOException {
    if (solSocket != 1) {
      throw new IOException("blocking mode unknown on " + System.getProperty("os.name"));
    }
    int fdVal;
    try {
      fdVal = (int) handles().fdVal.invokeExact(fd);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
    for (String line : Files.readAllLines(Path.of("/proc/self/fdinfo/" + fdVal), StandardCharsets.US_ASCII)) {
      if (line.startsWith("flags:")) {
        try {
          return (Integer.parseInt(line.substring("flags:".length()).trim(), 8) & O_NONBLOCK_LINUX) == 0;
        } catch (NumberFormatException e) {
          throw new IOException("/proc/self/fdinfo/" + fdVal + ": " + line, e);
        }
      }
    }
    throw new IOException("/proc/self/fdinfo/" + fdVal + " has no flags");
  }

  @Override
  public void configureBlocking(FileDescriptor fd, boolean blocking) throws IOException {
    try {
      handles().configureBlocking.invokeExact(fd, blocking);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
  }

  @Override
  public boolean canAbortConnect() {
    return solSocket == 1;
  }

  @Override
  public void abortConnect(FileDescriptor fd) throws IOException {
    if (!canAbortConnect()) {
      throw new IOException("cannot abort a connect on " + System.getProperty("os.name"));
    }
    MethodHandle d = disconnect;
    if (d == null) {
      try {
        Class<?> c = Class.forName("sun.nio.ch.DatagramChannelImpl");
        d = MethodHandles.privateLookupIn(c, MethodHandles.lookup()).findStatic(c, "disconnect0",
            MethodType.methodType(void.class, FileDescriptor.class, boolean.class));
      } catch (ReflectiveOperationException e) {
        throw new IOException("sun.nio.ch.DatagramChannelImpl of Java " + Runtime.version()
            + " lacks disconnect0: " + e, e);
      }
      disconnect = d;
    }
    try {
      d.invokeExact(fd, family(fd) == StandardProtocolFamily.INET6);
    } catch (IOException | RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IOException(t);
    }
    intOption(fd, SO_ERROR_LINUX); // reading SO_ERROR clears the ECONNRESET the kernel noted for the ended connect
  }
}
