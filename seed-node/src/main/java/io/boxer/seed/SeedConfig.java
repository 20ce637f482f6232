package io.boxer.seed;

import io.boxer.control.tls.ClusterCa;
import io.boxer.control.tls.JoinToken;
import io.boxer.proto.v1.ConnectionPolicy;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link SeedServer} needs, validated on construction.
 *
 * @param bind the address to listen on (port 0: any free port)
 * @param token the cluster's join token
 * @param ca the CA that certifies members: {@link ClusterCa#fromToken} unless the operator gives one
 * @param certTtl how long a member certificate is valid; members renew at half-life
 * @param policy the connection policy, or null for none (members may connect to members)
 * @param relayPort the relay's TCP port on the bind address (0: any free port), or {@link #NO_RELAY}
 * @param virtualRange the block of virtual addresses for members behind an external address that another member
 *     already has (they need the relay), or null to refuse them
 */
public record SeedConfig(InetSocketAddress bind, JoinToken token, ClusterCa ca, Duration certTtl,
    ConnectionPolicy policy, int relayPort, VirtualRange virtualRange) {
  /** A {@link #relayPort} that runs the seed without a relay: members behind strict NATs then cannot mesh. */
  public static final int NO_RELAY = -1;
  /** The default certificate lifetime: members renew every half hour. */
  public static final Duration DEFAULT_CERT_TTL = Duration.ofHours(1);
  public static final Duration MIN_CERT_TTL = Duration.ofSeconds(30);
  public static final Duration MAX_CERT_TTL = Duration.ofDays(30);

  public SeedConfig {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(ca, "ca");
    if (certTtl == null || certTtl.compareTo(MIN_CERT_TTL) < 0 || certTtl.compareTo(MAX_CERT_TTL) > 0) {
      throw new IllegalArgumentException("certTtl : " + certTtl + " (expected: " + MIN_CERT_TTL + ".." + MAX_CERT_TTL + ")");
    }
    if (relayPort < NO_RELAY || relayPort > 65535 || (relayPort != 0 && relayPort == bind.getPort())) {
      throw new IllegalArgumentException("relayPort : " + relayPort + " (expected: 0..65535 other than the seed's"
          + " port " + bind.getPort() + ", or " + NO_RELAY + " for none)");
    }
  }

  /** The relay port a seed on {@code port} uses unless told otherwise: the next one (any free one for port 0). */
  public static int defaultRelayPort(int port) {
    return port == 0 ? 0 : port < 65535 ? port + 1 : port - 1;
  }

  /**
   * A seed with the token-derived CA, the default certificate lifetime, no policy, the default relay port and
   * the default virtual range.
   */
  public static SeedConfig of(InetSocketAddress bind, JoinToken token) {
    return new SeedConfig(bind, token, ClusterCa.fromToken(token), DEFAULT_CERT_TTL, null,
        defaultRelayPort(bind.getPort()), VirtualRange.DEFAULT);
  }

  public SeedConfig withCertTtl(Duration ttl) {
    return new SeedConfig(bind, token, ca, ttl, policy, relayPort, virtualRange);
  }

  public SeedConfig withPolicy(ConnectionPolicy connectionPolicy) {
    return new SeedConfig(bind, token, ca, certTtl, connectionPolicy, relayPort, virtualRange);
  }

  public SeedConfig withCa(ClusterCa clusterCa) {
    return new SeedConfig(bind, token, clusterCa, certTtl, policy, relayPort, virtualRange);
  }

  /** @param range the block to hand out, or null to refuse a second member behind one external address */
  public SeedConfig withVirtualRange(VirtualRange range) {
    return new SeedConfig(bind, token, ca, certTtl, policy, relayPort, range);
  }

  public SeedConfig withRelayPort(int port) {
    return new SeedConfig(bind, token, ca, certTtl, policy, port, virtualRange);
  }
}
