package io.boxer.control.tls;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster's certificate authority, held by the seed: it certifies each member's key with the member's id
 * and external ip, and the seed's own key. Either derived from the join token (the default: every token
 * holder can verify it) or loaded from files the operator gives (then nodes pin that CA certificate).
 * Thread-safe and immutable.
 */
public final class ClusterCa {
  /** The subject of a token-derived CA certificate. */
  public static final X500Principal DERIVED_NAME = new X500Principal("CN=boxer cluster CA");

  /** Clocks of different hosts disagree a little: certificates are valid from a minute ago. */
  private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);
  private static final Instant DERIVED_NOT_BEFORE = Instant.parse("2020-01-01T00:00:00Z");
  private static final Instant DERIVED_NOT_AFTER = Instant.parse("2100-01-01T00:00:00Z");

  private static final String PKCS8_BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String PKCS8_END = "-----END PRIVATE KEY-----";

  private final PrivateKey key;
  private final X509Certificate certificate;
  private final SecureRandom random = new SecureRandom();

  private ClusterCa(PrivateKey key, X509Certificate certificate) {
    this.key = key;
    this.certificate = certificate;
  }

  /**
   * The CA derived from the token. Its self-signed certificate is the same bytes on every host (fixed dates
   * and serial, deterministic Ed25519 signature).
   */
  public static ClusterCa fromToken(JoinToken token) {
    KeyPair pair = token.caKeyPair();
    X500Name name = X500Name.getInstance(DERIVED_NAME.getEncoded());
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
        Date.from(DERIVED_NOT_BEFORE), Date.from(DERIVED_NOT_AFTER), name, pair.getPublic());
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
      return new ClusterCa(pair.getPrivate(), sign(builder, pair.getPrivate()));
    } catch (CertIOException e) {
      throw new IllegalStateException("cannot build the cluster CA certificate", e);
    }
  }

  /**
   * A CA the operator gives: a PEM certificate and its unencrypted PKCS#8 PEM private key ("BEGIN PRIVATE KEY",
   * as {@code openssl genpkey} writes it; EC, Ed25519 or RSA).
   *
   * @throws IllegalArgumentException naming the file and what is wrong with it
   */
  public static ClusterCa load(Path certificatePem, Path keyPem) throws IOException {
    X509Certificate certificate = ClusterTrust.readCertificate(certificatePem);
    if (certificate.getBasicConstraints() < 0) {
      throw new IllegalArgumentException("--ca-cert : " + certificatePem + " is not a CA certificate "
          + "(expected: basicConstraints CA:TRUE)");
    }
    PrivateKey key = readPkcs8(keyPem, certificate.getPublicKey().getAlgorithm());
    ClusterCa ca = new ClusterCa(key, certificate);
    // a key that does not match the certificate would issue certificates nobody can verify
    try {
      ca.issueSeed(certificate.getPublicKey(), Duration.ofMinutes(1)).verify(certificate.getPublicKey());
    } catch (java.security.GeneralSecurityException | RuntimeException e) {
      throw new IllegalArgumentException("--ca-key : " + keyPem + " does not belong to " + certificatePem, e);
    }
    return ca;
  }

  private static PrivateKey readPkcs8(Path keyPem, String algorithm) throws IOException {
    String pem = Files.readString(keyPem, java.nio.charset.StandardCharsets.US_ASCII);
    int begin = pem.indexOf(PKCS8_BEGIN);
    int end = pem.indexOf(PKCS8_END);
    if (begin < 0 || end < begin) {
      throw new IllegalArgumentException("--ca-key : " + keyPem + " holds no unencrypted PKCS#8 key (expected: "
          + PKCS8_BEGIN + ", e.g. from `openssl genpkey`; convert others with `openssl pkcs8 -topk8 -nocrypt`)");
    }
    try {
      byte[] der = java.util.Base64.getMimeDecoder().decode(pem.substring(begin + PKCS8_BEGIN.length(), end));
      String keyAlgorithm = algorithm.equals("EdDSA") ? "Ed25519" : algorithm;
      return java.security.KeyFactory.getInstance(keyAlgorithm)
          .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(der));
    } catch (java.security.GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalArgumentException("--ca-key : " + keyPem + " is not a " + algorithm
          + " private key matching the CA certificate (" + e.getMessage() + ")", e);
    }
  }

  /** The CA certificate: the trust anchor of the cluster. */
  public X509Certificate certificate() {
    return certificate;
  }

  /** The trust that verifies what this CA issues. */
  public ClusterTrust trust() {
    return ClusterTrust.of(certificate);
  }

  /** A member certificate for {@code publicKey}: member {@code id} at external {@code ip}, valid for {@code ttl}. */
  public X509Certificate issueNode(long id, java.net.InetAddress ip, PublicKey publicKey, Duration ttl) {
    CertifiedIdentity identity = CertifiedIdentity.node(id, ip);
    return issue("CN=boxer node " + id, identity, publicKey, ttl,
        new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.uniformResourceIdentifier, identity.uri()),
            new GeneralName(GeneralName.iPAddress, ip.getHostAddress())}),
        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth});
  }

  /** The seed's server certificate for {@code publicKey}, valid for {@code ttl}. */
  public X509Certificate issueSeed(PublicKey publicKey, Duration ttl) {
    return issue("CN=boxer seed", CertifiedIdentity.seed(), publicKey, ttl,
        new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, CertifiedIdentity.SEED_URI)),
        new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth});
  }

  private X509Certificate issue(String subject, CertifiedIdentity identity, PublicKey publicKey, Duration ttl,
      GeneralNames names, KeyPurposeId[] purposes) {
    Instant now = Instant.now();
    BigInteger serial;
    synchronized (random) {
      serial = new BigInteger(63, random).add(BigInteger.TWO);
    }
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate.getSubjectX500Principal(),
        serial, Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(ttl)), new X500Principal(subject), publicKey);
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes));
      builder.addExtension(Extension.subjectAlternativeName, true, names);
      return sign(builder, key);
    } catch (CertIOException e) {
      throw new IllegalStateException("cannot build a certificate for " + identity.uri(), e);
    }
  }

  private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key) {
    try {
      ContentSigner signer = new JcaContentSignerBuilder(signatureAlgorithm(key)).build(key);
      X509CertificateHolder holder = builder.build(signer);
      return new JcaX509CertificateConverter().getCertificate(holder);
    } catch (OperatorCreationException | CertificateException e) {
      throw new IllegalStateException("cannot sign a certificate with a " + key.getAlgorithm() + " key", e);
    }
  }

  private static String signatureAlgorithm(PrivateKey key) {
    return switch (key.getAlgorithm()) {
      case "Ed25519", "EdDSA" -> "Ed25519";
      case "EC" -> "SHA256withECDSA";
      case "RSA" -> "SHA256withRSA";
      default -> throw new IllegalArgumentException("CA key algorithm : " + key.getAlgorithm()
          + " (expected: Ed25519, EC or RSA)");
    };
  }
}
