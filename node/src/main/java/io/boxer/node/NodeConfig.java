package io.boxer.node;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link BoxerNode} needs to start, validated on construction so that nothing touches the
 * system before the whole configuration is known to be good.
 *
 * @param seed the seed's routable address (unresolved allowed; resolved at join)
 * @param controlPort local control port; 0 picks a free port
 * @param agentSocket path of the Unix domain socket the local agent talks to; null = no agent endpoint
 * @param joinAttempts how many times to try reaching the seed before giving up, >= 1
 * @param firstRetryDelay delay before the second attempt; doubles per attempt up to 5 s
 * @param primeTimeout the longest a prime round trip over the mesh may take
 */
public record NodeConfig(
    InetSocketAddress seed,
    int controlPort,
    Path agentSocket,
    int joinAttempts,
    Duration firstRetryDelay,
    Duration primeTimeout) {

  /** The wire protocol version this node speaks (JoinRequest.protocol_version). */
  public static final int PROTOCOL_VERSION = 1;

  public NodeConfig {
    Objects.requireNonNull(seed, "seed");
    if (seed.getPort() < 1) {
      throw new IllegalArgumentException("seed.port : " + seed.getPort() + " (expected: 1..65535)");
    }
    if (controlPort < 0 || controlPort > 65535) {
      throw new IllegalArgumentException("controlPort : " + controlPort + " (expected: 0..65535, 0 = any)");
    }
    if (joinAttempts < 1) {
      throw new IllegalArgumentException("joinAttempts : " + joinAttempts + " (expected: >= 1)");
    }
    positive("firstRetryDelay", firstRetryDelay);
    positive("primeTimeout", primeTimeout);
  }

  /** Defaults for everything but the seed: any control port, no agent socket, 6 join attempts. */
  public static NodeConfig forSeed(InetSocketAddress seed) {
    return new NodeConfig(seed, 0, null, 6, Duration.ofMillis(250), Duration.ofSeconds(5));
  }

  public NodeConfig withAgentSocket(Path path) {
    return new NodeConfig(seed, controlPort, path, joinAttempts, firstRetryDelay, primeTimeout);
  }

  public NodeConfig withControlPort(int port) {
    return new NodeConfig(seed, port, agentSocket, joinAttempts, firstRetryDelay, primeTimeout);
  }

  public NodeConfig withJoinAttempts(int attempts, Duration firstDelay) {
    return new NodeConfig(seed, controlPort, agentSocket, attempts, firstDelay, primeTimeout);
  }

  private static void positive(String name, Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(name + " : " + d + " (expected: > 0)");
    }
  }
}
