package io.boxer.node.testing;

import io.boxer.control.tls.ClusterCa;
import io.boxer.control.tls.ClusterTrust;
import io.boxer.control.tls.JoinToken;
import io.boxer.control.tls.TlsIdentity;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;

/** A cluster CA for tests, and member identities it certifies. */
public final class TestCluster {
  public static final JoinToken TOKEN = JoinToken.parse("boxer_node-tests-token-0123456789ab");
  public static final ClusterCa CA = ClusterCa.fromToken(TOKEN);
  public static final ClusterTrust TRUST = CA.trust();

  private TestCluster() {}

  /** A fresh key with a certificate for member {@code id} at {@code ip}. */
  public static TlsIdentity member(long id, String ip) {
    TlsIdentity identity = TlsIdentity.generate();
    try {
      identity.install(CA.issueNode(id, InetAddress.getByName(ip), identity.publicKey(), Duration.ofMinutes(10)));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(e);
    }
    return identity;
  }
}
