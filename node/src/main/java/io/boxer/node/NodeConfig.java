package io.boxer.node;

import io.boxer.control.Roles;
import io.boxer.control.tls.ClusterTrust;
import io.boxer.control.tls.JoinToken;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link BoxerNode} needs to start, validated on construction so that nothing touches the
 * system before the whole configuration is known to be good.
 *
 * @param seed the seed's routable address (unresolved allowed; resolved at join)
 * @param token the cluster's join token
 * @param trust the cluster CA the seed and the members must chain to: derived from the token unless the
 *     operator gives a CA certificate
 * @param role this member's role, as the connection policy names it
 * @param controlPort local control port; 0 picks a free port
 * @param agentSocket path of the Unix domain socket the local agent talks to; null = no agent endpoint
 * @param joinAttempts how many times to try reaching the seed before giving up, >= 1
 * @param firstRetryDelay delay before the second attempt; doubles per attempt up to 5 s
 * @param primeTimeout the longest a prime round trip over the mesh may take
 */
public record NodeConfig(
    InetSocketAddress seed,
    JoinToken token,
    ClusterTrust trust,
    String role,
    int controlPort,
    Path agentSocket,
    int joinAttempts,
    Duration firstRetryDelay,
    Duration primeTimeout) {

  public NodeConfig {
    Objects.requireNonNull(seed, "seed");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(trust, "trust");
    Roles.validate("role", role);
    if (seed.getPort() < 1) {
      throw new IllegalArgumentException("seed.port : " + seed.getPort() + " (expected: 1..65535)");
    }
    checkControlPort("controlPort", controlPort);
    checkJoinAttempts("joinAttempts", joinAttempts);
    positive("firstRetryDelay", firstRetryDelay);
    positive("primeTimeout", primeTimeout);
  }

  /**
   * Defaults for everything but the seed and the token: the token-derived CA, the default role, any control
   * port, no agent socket, 6 join attempts.
   */
  public static NodeConfig forSeed(InetSocketAddress seed, JoinToken token) {
    return new NodeConfig(seed, token, ClusterTrust.forToken(token), Roles.DEFAULT, 0, null, 6,
        Duration.ofMillis(250), Duration.ofSeconds(5));
  }

  public NodeConfig withAgentSocket(Path path) {
    return new NodeConfig(seed, token, trust, role, controlPort, path, joinAttempts, firstRetryDelay, primeTimeout);
  }

  public NodeConfig withControlPort(int port) {
    return new NodeConfig(seed, token, trust, role, port, agentSocket, joinAttempts, firstRetryDelay, primeTimeout);
  }

  public NodeConfig withJoinAttempts(int attempts, Duration firstDelay) {
    return new NodeConfig(seed, token, trust, role, controlPort, agentSocket, attempts, firstDelay, primeTimeout);
  }

  public NodeConfig withRole(String newRole) {
    return new NodeConfig(seed, token, trust, newRole, controlPort, agentSocket, joinAttempts, firstRetryDelay,
        primeTimeout);
  }

  /** Pins a CA the operator gives instead of the token-derived one. */
  public NodeConfig withTrust(ClusterTrust newTrust) {
    return new NodeConfig(seed, token, newTrust, role, controlPort, agentSocket, joinAttempts, firstRetryDelay,
        primeTimeout);
  }

  /**
   * Checks a control port as this record does, naming it {@code name} in the error: the record's own checks and a
   * command line's ({@code --control-port}) are one.
   *
   * @throws IllegalArgumentException naming {@code name}, the value and the expected range
   */
  public static void checkControlPort(String name, int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(name + " : " + port + " (expected: 0..65535, 0 = any)");
    }
  }

  /**
   * Checks a number of join attempts as this record does, naming it {@code name} in the error.
   *
   * @throws IllegalArgumentException naming {@code name}, the value and the expected range
   */
  public static void checkJoinAttempts(String name, int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException(name + " : " + attempts + " (expected: >= 1)");
    }
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " : " + d + " (expected: > 0)");
    }
  }
}
