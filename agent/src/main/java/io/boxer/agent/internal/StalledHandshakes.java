package io.boxer.agent.internal;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketTimeoutException;

/**
 * The kernel connect of a primed connect whose caller waits for it (a {@code Socket.connect}, timed or not, or a
 * blocking {@code SocketChannel}'s), started again from another port when its handshake stalls.
 *
 * <p>Behind NATs that track TCP state, a primed connect whose first SYN-ACK is lost between the two NATs stalls: the
 * server's NAT has seen that SYN-ACK leave, so it takes the client's retransmitted SYNs for invalid and drops every
 * one of them; only the server's own SYN-ACK retransmissions (after 1, 3, 7, 15 s) can end the handshake, and the
 * connection that then opens took its first round-trip sample from the whole handshake, so one lost segment later
 * waits seconds for its retransmission (docs/reliability.md, "A stalled handshake"). A connect without that trap
 * still loses a SYN now and then, which the kernel retransmits only after 1 s.
 *
 * <p>So when a handshake has not ended within {@link #stallMillis} of its prime (a few of that prime's round trips:
 * the handshake needs one), the connect is ended without a packet ({@link SocketOps#abortConnect}), the socket is
 * bound to a new port the kernel picks, primed again toward it and connected again: a new 4-tuple, which neither NAT
 * has seen. The last of {@value #ATTEMPTS} attempts is left to the kernel and the application's timeout, as a
 * connect without Boxer. No packet is sent for an ended attempt, and a late SYN-ACK for its port meets no socket
 * and is answered with a reset; but each NAT keeps the attempt's entry for a while, so its port is held back from
 * other sockets until they have forgotten it ({@link QuarantinedPorts}). Stateless; static, so that the class
 * loads with the first watched connect, not at premain.
 */
final class StalledHandshakes {

  /** Connect attempts, each from its own port. */
  static final int ATTEMPTS = 3;
  /** A handshake is given this many of its prime's round trips, which cross the same NATs. */
  static final int PRIME_ROUND_TRIPS = 4;
  /** Never less: a prime answered from a warm node takes a millisecond, a busy server's accept queue longer. */
  static final long MIN_STALL_MILLIS = 200;
  /** Never more: the kernel retransmits a lost SYN after 1 s anyway. */
  static final long MAX_STALL_MILLIS = 1000;

  /** Primes the connect again for the socket's new port. */
  @FunctionalInterface
  interface Reprime {

    /**
     * @return the node's relay endpoint to connect to instead, or null to connect as asked
     * @throws IOException what the application sees when the prime fails
     */
    InetSocketAddress prime(int localPort) throws IOException;
  }

  private StalledHandshakes() {}

  /** How long a handshake may take after a prime that took {@code primeNanos}. */
  static long stallMillis(long primeNanos) {
    long millis = (PRIME_ROUND_TRIPS * primeNanos + 999_999) / 1_000_000;
    return Math.max(MIN_STALL_MILLIS, Math.min(MAX_STALL_MILLIS, millis));
  }

  /**
   * Connects {@code fd}, bound to {@code localPort} and primed toward {@code address:port}, and returns once it is
   * connected, once a relayed attempt is under way, or when the last attempt is still in progress and the
   * application set no deadline (its caller's completion check then waits for the kernel, as without Boxer).
   *
   * @param blocking whether {@code fd} is in blocking mode: it is switched to non-blocking for the watch and back
   * @param any the wildcard address of the socket's family, for the new bind
   * @param primeNanos how long the prime of {@code localPort} took
   * @param deadline the application's connect deadline ({@link System#nanoTime}), or 0 for none
   * @param quarantine where each aborted attempt's port goes
   * @throws SocketTimeoutException "Connect timed out" when the deadline passes first
   * @throws ConnectException the connect's failure with the kernel's message (e.g. "Connection refused", "No route
   *     to host"), a prime's, or "Boxer: ..." when the socket could not be made ready for another attempt
   */
  static void connect(SocketOps ops, boolean blocking, ProtocolFamily family, FileDescriptor fd, InetAddress any,
      InetAddress address, int port, int localPort, long primeNanos, long deadline, Reprime reprime,
      QuarantinedPorts quarantine) throws IOException {
    quarantine.releaseExpired(System.nanoTime());
    if (blocking) {
      ops.configureBlocking(fd, false);
    }
    try {
      long stall = stallMillis(primeNanos);
      for (int attempt = 1; ; attempt++) {
        boolean last = attempt == ATTEMPTS;
        try {
          if (ops.connect(family, fd, address, port) > 0 || last && deadline == 0) {
            return;
          }
          long wait = deadline == 0 ? stall : Math.min(last ? Long.MAX_VALUE : stall, millisUntil(deadline));
          if (ops.awaitConnect(fd, wait)) {
            return;
          }
        } catch (ConnectException e) {
          throw e;
        } catch (IOException e) {
          // the kernel's failure (e.g. NoRouteToHostException), which Boxer's hook may only throw as a ConnectException
          throw connectFailure(e.getMessage() != null ? e.getMessage() : e.toString(), e);
        }
        if (last || deadline != 0 && System.nanoTime() - deadline >= 0) {
          throw new SocketTimeoutException("Connect timed out"); // as the JDK says when a timed connect runs out
        }
        try {
          ops.abortConnect(fd);
          quarantine.hold(family, localPort, System.nanoTime()); // before the bind: the kernel must not pick it
          ops.bind(family, fd, any, 0);
          localPort = ops.localPort(fd);
        } catch (IOException | RuntimeException e) {
          throw connectFailure("Boxer: a stalled connect to " + address.getHostAddress() + ":" + port
              + " could not start again from a new port: " + e, e);
        }
        long primeStart = System.nanoTime();
        InetSocketAddress relay = reprime.prime(localPort);
        stall = stallMillis(System.nanoTime() - primeStart);
        if (relay != null) {
          RelayConnect.connect(ops, family, fd, address, port, relay);
          return;
        }
      }
    } finally {
      if (blocking) {
        ops.configureBlocking(fd, true);
      }
    }
  }

  /** Milliseconds left until {@code deadline}, rounded up; 0 once it has passed. */
  private static long millisUntil(long deadline) {
    long nanos = deadline - System.nanoTime();
    return nanos <= 0 ? 0 : (nanos + 999_999) / 1_000_000;
  }

  private static ConnectException connectFailure(String message, Exception cause) {
    ConnectException failure = new ConnectException(message);
    failure.initCause(cause);
    return failure;
  }
}
