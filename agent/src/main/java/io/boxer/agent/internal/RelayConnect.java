package io.boxer.agent.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;

/**
 * The kernel connect of an application's socket to the node's relay endpoint (a loopback port, from a USE_RELAY
 * reply) instead of the member it asked for. The JDK and Netty have recorded the member's address before their
 * connect reaches the hook, so the application's socket keeps reporting it; only the kernel sees the relay
 * endpoint. Boxer issues this connect itself because the hook can only swap the address, not the port.
 *
 * <p>A loopback handshake (or the RST of a port nobody listens on) is done by the time the connect call returns,
 * even where a non-blocking connect still says "in progress", so the outcome is read at once, waiting at most
 * {@value #LOOPBACK_WAIT_MILLIS} ms: a failure is then reported as the relay step's, not as a bare "Connection
 * refused" from the member. Stateless, thread-safe; static, so that the class loads with the first relayed connect,
 * not at premain.
 */
final class RelayConnect {

  /** Bound on the wait for a loopback connect to end; a node whose backlog is full answers later. */
  static final long LOOPBACK_WAIT_MILLIS = 100;

  /** The two kernel calls it makes, on a JDK view of the socket; the caller holds the re-entrancy guard. */
  interface Kernel {

    /** The JDK's connect: 1 when connected, -2 ({@code IOStatus.UNAVAILABLE}) when in progress. */
    int connect(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port) throws IOException;

    /**
     * Waits up to {@code timeoutMillis} for a connect in progress to end: true when connected, false when still
     * in progress.
     *
     * @throws IOException the connect's failure (e.g. {@code ConnectException: Connection refused})
     */
    boolean awaitConnect(FileDescriptor fd, long timeoutMillis) throws IOException;
  }

  private RelayConnect() {}

  /**
   * Connects {@code fd} to {@code relay} for the application's connect to {@code member:port}.
   *
   * @return true when connected; false when the connect is still in progress after the wait (the JDK's or
   *     Netty's own completion check then reports its outcome)
   * @throws ConnectException "Boxer: relay to member:port failed: connect to relay: why"
   */
  static boolean connect(Kernel kernel, ProtocolFamily family, FileDescriptor fd, InetAddress member, int port,
      InetSocketAddress relay) throws ConnectException {
    try {
      return kernel.connect(family, fd, relay.getAddress(), relay.getPort()) > 0
          || kernel.awaitConnect(fd, LOOPBACK_WAIT_MILLIS);
    } catch (IOException | RuntimeException e) {
      ConnectException failure = new ConnectException("Boxer: relay to " + member.getHostAddress() + ":" + port
          + " failed: connect to " + relay.getAddress().getHostAddress() + ":" + relay.getPort() + ": "
          + (e.getMessage() != null ? e.getMessage() : e.toString()));
      failure.initCause(e);
      throw failure;
    }
  }
}
