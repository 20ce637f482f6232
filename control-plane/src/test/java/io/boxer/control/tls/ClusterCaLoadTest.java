package io.boxer.control.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A CA the operator gives (`boxer seed --ca-cert/--ca-key`, nodes `--ca-cert`), from PEM files. */
class ClusterCaLoadTest {
  @TempDir Path dir;

  private static KeyPair ecKeys() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static X509Certificate certificate(KeyPair keys, boolean ca) throws Exception {
    X500Principal name = new X500Principal("CN=operator CA");
    JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.TEN,
        Date.from(Instant.now().minusSeconds(60)), Date.from(Instant.now().plusSeconds(3600)), name, keys.getPublic());
    builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
    return new JcaX509CertificateConverter().getCertificate(
        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
  }

  private Path pem(String name, String type, byte[] der) throws Exception {
    return Files.writeString(dir.resolve(name), "-----BEGIN " + type + "-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n");
  }

  @Test
  void operatorCa_issuesCertificatesThatItsCertificateFileVerifies() throws Exception {
    KeyPair keys = ecKeys();
    Path cert = pem("ca.pem", "CERTIFICATE", certificate(keys, true).getEncoded());
    Path key = pem("ca.key", "PRIVATE KEY", keys.getPrivate().getEncoded());

    ClusterCa ca = ClusterCa.load(cert, key);
    TlsIdentity node = TlsIdentity.generate();
    X509Certificate issued = ca.issueNode(42, InetAddress.getByName("198.18.0.101"), node.publicKey(),
        Duration.ofMinutes(5));

    assertThat(ClusterTrust.fromFile(cert).verify(new X509Certificate[] {issued}, false).nodeId()).isEqualTo(42);
    // the token's CA does not vouch for the operator's
    assertThatThrownBy(() -> ClusterTrust.forToken(JoinToken.parse("boxer_another-cluster-0123456789ab"))
        .verify(new X509Certificate[] {issued}, false)).hasMessageContaining("not valid under the cluster CA");
  }

  @Test
  void aKeyOfAnotherCertificate_aNonCaCertificate_andAnotherPemFormat_areRefusedWithTheFileNamed() throws Exception {
    KeyPair keys = ecKeys();
    Path cert = pem("ca.pem", "CERTIFICATE", certificate(keys, true).getEncoded());
    Path otherKey = pem("other.key", "PRIVATE KEY", ecKeys().getPrivate().getEncoded());
    Path leaf = pem("leaf.pem", "CERTIFICATE", certificate(keys, false).getEncoded());
    Path traditional = Files.writeString(dir.resolve("ec.key"), "-----BEGIN EC PRIVATE KEY-----\nAAAA\n-----END EC PRIVATE KEY-----\n");

    assertThatThrownBy(() -> ClusterCa.load(cert, otherKey)).hasMessageContaining("does not belong to " + cert);
    assertThatThrownBy(() -> ClusterCa.load(leaf, otherKey)).hasMessageContaining("is not a CA certificate");
    assertThatThrownBy(() -> ClusterCa.load(cert, traditional)).hasMessageContaining("openssl pkcs8 -topk8 -nocrypt");
  }
}
