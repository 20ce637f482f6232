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
   * Runs before the kernel bind of {@code fd}. Failures are ignored: a bind never fails because of Boxer.
   *
   * @return the address the kernel binds to (e.g. the wildcard for this node's own external address); never
   *     null
   */
  InetAddress beforeBind(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port)
      throws IOException;
}
