package io.boxer.node.agentlink;

import java.time.Duration;

/**
 * The resource bounds of one {@link AgentEndpoint}. Production uses {@link #DEFAULTS}; tests pass smaller ones.
 *
 * @param maxConnections open agent connections at once, >= 1; a connection beyond it is closed as soon as it
 *     is accepted
 * @param maxRequestBytes the longest request body accepted, >= 1; a longer length prefix is answered FAILED
 *     before any byte of the body is stored
 * @param requestDeadline how long a new connection may take to send its complete request, > 0; a connection
 *     that has not is closed. A watch, once its request is read, has no deadline
 */
record EndpointLimits(int maxConnections, int maxRequestBytes, Duration requestDeadline) {

  /**
   * Connections at once. An application JVM holds one watch connection and one prime channel (older agents: one
   * connection per prime in flight); 1,024 leaves room for many JVMs behind one node, and bounds the endpoint to
   * 1,024 file descriptors and about 4 MiB of request buffers ({@link #MAX_REQUEST_BYTES} each), plus per prime
   * channel at most 64 primes in flight and 64 KiB of replies waiting ({@link PrimeChannelSession}).
   */
  static final int MAX_CONNECTIONS = 1024;

  /**
   * Longest request body. A prime request is under 40 bytes and a watch request is empty; 4 KiB leaves room
   * for new fields and still makes a hostile prefix harmless.
   */
  static final int MAX_REQUEST_BYTES = 4 * 1024;

  /**
   * Time for a new connection to send its complete request. The agent writes its request right after
   * connecting to a local socket, within microseconds; 5 s only closes connections that will never send one.
   */
  static final Duration REQUEST_DEADLINE = Duration.ofSeconds(5);

  /** The production limits. */
  static final EndpointLimits DEFAULTS = new EndpointLimits(MAX_CONNECTIONS, MAX_REQUEST_BYTES, REQUEST_DEADLINE);

  EndpointLimits {
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections : " + maxConnections + " (expected: >= 1)");
    }
    if (maxRequestBytes < 1) {
      throw new IllegalArgumentException("maxRequestBytes : " + maxRequestBytes + " (expected: >= 1)");
    }
    if (requestDeadline.isNegative() || requestDeadline.isZero()) {
      throw new IllegalArgumentException("requestDeadline : " + requestDeadline + " (expected: > 0)");
    }
  }
}
