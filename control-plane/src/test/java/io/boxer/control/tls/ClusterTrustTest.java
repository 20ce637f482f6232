package io.boxer.control.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ClusterTrustTest {
  private static final JoinToken TOKEN = JoinToken.parse("boxer_cluster-trust-test-0123456789");
  private static final JoinToken OTHER = JoinToken.parse("boxer_another-cluster-0123456789ab");
  private static final ClusterCa CA = ClusterCa.fromToken(TOKEN);

  @Test
  void derivedCa_isTheSameBytesEverywhere() throws Exception {
    assertThat(ClusterCa.fromToken(JoinToken.parse("boxer_cluster-trust-test-0123456789")).certificate().getEncoded())
        .isEqualTo(CA.certificate().getEncoded());
    assertThat(ClusterCa.fromToken(OTHER).certificate().getEncoded()).isNotEqualTo(CA.certificate().getEncoded());
  }

  @Test
  void memberCertificate_verifiesUnderItsCluster_andNamesIdAndIp() throws Exception {
    TlsIdentity node = TlsIdentity.generate();
    X509Certificate cert = CA.issueNode(1234567, InetAddress.getByName("198.18.0.101"), node.publicKey(),
        Duration.ofMinutes(10));

    CertifiedIdentity identity = ClusterTrust.forToken(TOKEN).verify(new X509Certificate[] {cert}, false);

    assertThat(identity).isEqualTo(CertifiedIdentity.node(1234567, InetAddress.getByName("198.18.0.101")));
    assertThat(ClusterTrust.forToken(TOKEN).verify(new X509Certificate[] {cert}, true).nodeId()).isEqualTo(1234567);
  }

  @Test
  void certificateOfAnotherCluster_isRejected() throws Exception {
    X509Certificate foreign = ClusterCa.fromToken(OTHER).issueNode(1, InetAddress.getByName("198.18.0.101"),
        TlsIdentity.generate().publicKey(), Duration.ofMinutes(10));
    assertThatThrownBy(() -> ClusterTrust.forToken(TOKEN).verify(new X509Certificate[] {foreign}, false))
        .isInstanceOf(CertificateException.class).hasMessageContaining("not valid under the cluster CA");
  }

  @Test
  void seedCertificate_cannotAuthenticateAClient_andNamesTheSeed() throws Exception {
    X509Certificate seed = CA.issueSeed(TlsIdentity.generate().publicKey(), Duration.ofMinutes(10));
    assertThat(CA.trust().verify(new X509Certificate[] {seed}, true)).isEqualTo(CertifiedIdentity.seed());
    assertThatThrownBy(() -> CA.trust().verify(new X509Certificate[] {seed}, false))
        .hasMessageContaining("may not authenticate a client");
  }

  @Test
  void expiredCertificate_isRejected() throws Exception {
    X509Certificate expired = CA.issueNode(7, InetAddress.getByName("198.18.0.102"),
        TlsIdentity.generate().publicKey(), Duration.ofMinutes(-2));
    assertThatThrownBy(() -> CA.trust().verify(new X509Certificate[] {expired}, false))
        .isInstanceOf(CertificateException.class);
  }

  @Test
  void identityKeyManager_offersOnlyAValidCertificateForItsOwnKey() throws Exception {
    TlsIdentity node = TlsIdentity.generate();
    assertThat(node.keyManager().chooseEngineClientAlias(new String[] {"EC"}, null, null)).isNull();
    node.install(CA.issueNode(9, InetAddress.getByName("198.18.0.103"), node.publicKey(), Duration.ofMinutes(5)));
    assertThat(node.keyManager().chooseEngineClientAlias(new String[] {"EC"}, null, null)).isEqualTo("boxer");
    node.install(CA.issueNode(9, InetAddress.getByName("198.18.0.103"), node.publicKey(), Duration.ofMinutes(-2)));
    assertThat(node.keyManager().chooseEngineClientAlias(new String[] {"EC"}, null, null)).isNull();
    X509Certificate someoneElses = CA.issueNode(9, InetAddress.getByName("198.18.0.103"),
        TlsIdentity.generate().publicKey(), Duration.ofMinutes(5));
    assertThatThrownBy(() -> node.install(someoneElses)).hasMessageContaining("another key");
  }
}
