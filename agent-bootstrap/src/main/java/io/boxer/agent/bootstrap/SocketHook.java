package io.boxer.agent.bootstrap;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ProtocolFamily;

/**
 * What the Boxer agent does before a socket connects or binds. The agent installs exactly one implementation
 * with {@link BoxerHooks#install(SocketHook)}; {@link BoxerHooks} calls it from the code inserted into
 * {@code sun.nio.ch.Net}.
 *
 * <p>Threads: called on application threads, concurrently. {@link #beforeConnect} and {@link #beforeBind} run
 * with the re-entrancy guard of {@link BoxerHooks} held, so sockets the implementation opens are not
 * intercepted again.
 */
public interface SocketHook {

  /**
   * The fast path: whether a connect to {@code address} needs {@link #beforeConnect}. Must not block (except,
   * once per process, briefly for the first membership view) and must not do I/O.
   */
  boolean interceptsConnect(InetAddress address);

  /**
   * Runs before the kernel connect of {@code fd} to {@code address:port}. Returning lets the real connect run,
   * to the returned address (e.g. loopback for this node's own external address); throwing fails the
   * application's connect with that exception.
   *
   * @return the address the kernel connects to; never null
   * @throws java.net.ConnectException to fail the connect; implementations throw nothing else
   */
  InetAddress beforeConnect(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port)
      throws IOException;

  /**
   * {@link #beforeConnect} for the connect of a non-blocking {@code SocketChannel} or an
   * {@code AsynchronousSocketChannel}, whose caller must not wait for a prime. The implementation may return {@link BoxerHooks#DEFERRED_CONNECT}: the connect is then in
   * progress for the application, the kernel connect is issued later (see {@link #pollConnect},
   * {@link #interestOps} and {@link #beforeConnected}). By default, the same as {@link #beforeConnect}.
   *
   * @param channel the connecting {@code sun.nio.ch.SocketChannelImpl} or
   *     {@code UnixAsynchronousSocketChannelImpl}, whose file descriptor should be
   *     {@code fd} (an implementation that defers checks it)
   */
  default InetAddress beforeNonBlockingConnect(ProtocolFamily family, FileDescriptor fd, InetAddress address,
      int port, Object channel) throws IOException {
    return beforeConnect(family, fd, address, port);
  }

  /**
   * {@link #beforeConnect} for the connect of a Netty epoll channel, on its event loop: the implementation may
   * return {@link BoxerHooks#DEFERRED_CONNECT}, and then answers {@link #nativeFinishConnect} for the socket
   * until the kernel connect is issued. By default, the same as {@link #beforeConnect}.
   *
   * @param fd a JDK view of the native socket's descriptor (Netty owns and closes it)
   * @param socket Netty's {@code Socket} object being connected
   * @param channel the {@code AbstractEpollChannel} whose socket it is (an implementation that defers checks it)
   */
  default InetAddress beforeNativeNonBlockingConnect(ProtocolFamily family, FileDescriptor fd, InetAddress address,
      int port, Object socket, Object channel) throws IOException {
    return beforeConnect(family, fd, address, port);
  }

  /**
   * Whether Netty's native {@code socket} is connected, for a connect this hook deferred: -1 to let Netty's
   * native check answer, 0 for "not yet".
   *
   * @throws IOException the deferred connect's failure
   */
  default int nativeFinishConnect(Object socket) throws IOException {
    return -1;
  }

  /**
   * Whether the socket {@code fd} is connected, for a connect this hook deferred. Must be fast when nothing is
   * deferred: every JDK non-blocking connect polls through here.
   *
   * @return -1 to let the kernel answer (nothing deferred, or the kernel connect has been issued), 0 for "not
   *     yet"
   * @throws IOException the deferred connect's failure
   */
  default int pollConnect(FileDescriptor fd) throws IOException {
    return -1;
  }

  /**
   * The poll events a selector should register for {@code channel}, given its interest {@code ops}: -1 for the
   * channel's own answer. Must be fast when nothing is deferred: selectors call it on every interest change.
   */
  default int interestOps(Object channel, int ops) {
    return -1;
  }

  /**
   * Runs where an asynchronous channel completes its connect; throws the failure of a connect this hook
   * deferred for {@code channel}, and does nothing otherwise.
   */
  default void beforeConnected(Object channel) throws IOException {}

  /**
   * Runs before the kernel bind of {@code fd}. Failures are ignored: a bind never fails because of Boxer.
   *
   * @return the address the kernel binds to (e.g. the wildcard for this node's own external address); never
   *     null
   */
  InetAddress beforeBind(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port)
      throws IOException;
}
