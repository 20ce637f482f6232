package io.boxer.agent.internal;

import io.boxer.proto.agent.v1.PrimeReply;
import java.net.ConnectException;
import java.net.InetAddress;

/** What a connect does with the node's {@link PrimeReply}. Stateless. */
final class PrimeReplies {

  /** The message of a REFUSED connect: the same as the kernel's ECONNREFUSED in the JDK. */
  static final String REFUSED_MESSAGE = "Connection refused";

  private PrimeReplies() {}

  /**
   * Returns when the real connect may proceed (PRIMED, NOT_MEMBER), else throws the exception the application
   * sees.
   *
   * @throws ConnectException "Connection refused" for REFUSED, "Boxer: priming ip:port failed: ..." otherwise
   */
  static void apply(PrimeReply reply, InetAddress remote, int port) throws ConnectException {
    switch (reply.getResult()) {
      case PRIMED:
      case NOT_MEMBER:
        return;
      case REFUSED:
        throw new ConnectException(REFUSED_MESSAGE);
      case FAILED:
        throw failure(remote, port, reply.getDetail().isEmpty() ? "the node gave no reason" : reply.getDetail(),
            null);
      default:
        throw failure(remote, port, "unexpected reply result " + reply.getResultValue(), null);
    }
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
