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
 */
public record SeedConfig(InetSocketAddress bind, JoinToken token, ClusterCa ca, Duration certTtl,
    ConnectionPolicy policy) {
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
  }

  /** A seed with the token-derived CA, the default certificate lifetime and no policy. */
  public static SeedConfig of(InetSocketAddress bind, JoinToken token) {
    return new SeedConfig(bind, token, ClusterCa.fromToken(token), DEFAULT_CERT_TTL, null);
  }

  public SeedConfig withCertTtl(Duration ttl) {
    return new SeedConfig(bind, token, ca, ttl, policy);
  }

  public SeedConfig withPolicy(ConnectionPolicy connectionPolicy) {
    return new SeedConfig(bind, token, ca, certTtl, connectionPolicy);
  }

  public SeedConfig withCa(ClusterCa clusterCa) {
    return new SeedConfig(bind, token, clusterCa, certTtl, policy);
  }
}
