package io.boxer.agent.internal;

import io.boxer.proto.agent.v1.PrimeReply;
import io.boxer.proto.v1.Endpoint;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** What a connect does with the node's {@link PrimeReply}. Stateless. */
final class PrimeReplies {

  /** The message of a REFUSED connect: the same as the kernel's ECONNREFUSED in the JDK. */
  static final String REFUSED_MESSAGE = "Connection refused";

  private PrimeReplies() {}

  /**
   * Returns when the real connect may proceed: to the member as asked (PRIMED, NOT_MEMBER), or to the node's
   * relay endpoint instead (USE_RELAY); else throws the exception the application sees.
   *
   * @return the relay endpoint to connect to instead of {@code remote:port} (a loopback address, port 1..65535),
   *     or null to connect as asked
   * @throws ConnectException "Connection refused" for REFUSED, "Boxer: priming ip:port failed: ..." otherwise
   *     (also for a USE_RELAY whose endpoint is missing, not loopback, or has a port outside 1..65535)
   */
  static InetSocketAddress apply(PrimeReply reply, InetAddress remote, int port) throws ConnectException {
    switch (reply.getResult()) {
      case PRIMED:
      case NOT_MEMBER:
        return null;
      case USE_RELAY:
        return relayEndpoint(reply, remote, port);
      case REFUSED:
        throw new ConnectException(REFUSED_MESSAGE);
      case FAILED:
        throw failure(remote, port, reply.getDetail().isEmpty() ? "the node gave no reason" : reply.getDetail(),
            null);
      default:
        throw failure(remote, port, "unexpected reply result " + reply.getResultValue(), null);
    }
  }

  /**
   * The relay endpoint of a USE_RELAY reply. Only loopback is accepted: the node listens on this host, and an
   * endpoint anywhere else would send the application's bytes off the host unprimed.
   */
  private static InetSocketAddress relayEndpoint(PrimeReply reply, InetAddress remote, int port)
      throws ConnectException {
    if (!reply.hasRelay()) {
      throw invalidRelay(remote, port, "none");
    }
    Endpoint relay = reply.getRelay();
    InetAddress ip;
    try {
      ip = InetAddress.getByAddress(relay.getIp().toByteArray());
    } catch (UnknownHostException e) { // neither 4 nor 16 bytes
      throw invalidRelay(remote, port, "ip of " + relay.getIp().size() + " bytes (expected: 4 or 16)");
    }
    long relayPort = Integer.toUnsignedLong(relay.getPort());
    if (!ip.isLoopbackAddress()) {
      throw invalidRelay(remote, port, ip.getHostAddress() + ":" + relayPort + " is not loopback");
    }
    if (relayPort < 1 || relayPort > 65535) {
      throw invalidRelay(remote, port, "port " + relayPort + " (expected: 1..65535)");
    }
    return new InetSocketAddress(ip, (int) relayPort);
  }

  private static ConnectException invalidRelay(InetAddress remote, int port, String why) {
    return failure(remote, port, "node offered an invalid relay endpoint (" + why + ")", null);
  }

  /** The exception for a prime that could not be done, with {@code detail} saying why. */
  static ConnectException failure(InetAddress remote, int port, String detail, Throwable cause) {
    ConnectException e = new ConnectException(
        "Boxer: priming " + remote.getHostAddress() + ":" + port + " failed: " + detail);
    if (cause != null) {
      e.initCause(cause);
    }
    return e;
  }
}
