package io.boxer.control.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Verifies Boxer certificates against the cluster CA: the chain (a leaf issued by the CA) with the JDK's
 * PKIX validator, the validity period, the key purpose (server or client authentication), and then who the
 * certificate names ({@link CertifiedIdentity}), which the caller checks against what it expects (the seed;
 * a current member at the address the connection comes from). Immutable and thread-safe.
 */
public final class ClusterTrust {
  private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
  private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

  /** What the holder of a verified certificate must be; throws to reject it. */
  @FunctionalInterface
  public interface IdentityCheck {
    void check(CertifiedIdentity identity) throws CertificateException;
  }

  /** Null for a token-derived CA, whose key alone is the anchor (members never build its certificate). */
  private final X509Certificate ca;
  private final TrustAnchor anchor;

  private ClusterTrust(X509Certificate ca, TrustAnchor anchor) {
    this.ca = ca;
    this.anchor = anchor;
  }

  /** Trust in the CA with this certificate. */
  public static ClusterTrust of(X509Certificate ca) {
    return new ClusterTrust(ca, new TrustAnchor(ca, null));
  }

  /** Trust in the CA derived from the join token (see {@link JoinToken}): its name and public key. */
  public static ClusterTrust forToken(JoinToken token) {
    return new ClusterTrust(null, new TrustAnchor(ClusterCa.DERIVED_NAME, token.caPublicKey(), null));
  }

  /** Trust in the CA whose PEM certificate the operator gives ({@code --ca-cert}). */
  public static ClusterTrust fromFile(Path pem) throws IOException {
    return of(readCertificate(pem));
  }

  static X509Certificate readCertificate(Path pem) throws IOException {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    } catch (CertificateException | ClassCastException e) {
      throw new IllegalArgumentException("--ca-cert : " + pem + " holds no X.509 certificate (expected: PEM)", e);
    }
  }


  /**
   * Verifies that {@code chain[0]} was issued by the cluster CA, is valid now and may authenticate a server
   * ({@code server} true) or a client, and returns who it names.
   *
   * @throws CertificateException saying what is wrong
   */
  public CertifiedIdentity verify(X509Certificate[] chain, boolean server) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("no certificate (expected: a Boxer certificate)");
    }
    X509Certificate leaf = chain[0];
    try {
      CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf));
      PKIXParameters parameters = new PKIXParameters(Set.of(anchor));
      parameters.setRevocationEnabled(false); // short-lived certificates instead of revocation
      CertPathValidator.getInstance("PKIX").validate(path, parameters);
    } catch (GeneralSecurityException e) {
      throw new CertificateException("certificate " + leaf.getSubjectX500Principal().getName()
          + " is not valid under the cluster CA: " + e.getMessage(), e);
    }
    List<String> purposes = leaf.getExtendedKeyUsage();
    String wanted = server ? SERVER_AUTH : CLIENT_AUTH;
    if (purposes == null || !purposes.contains(wanted)) {
      throw new CertificateException("certificate " + leaf.getSubjectX500Principal().getName()
          + " may not authenticate a " + (server ? "server" : "client"));
    }
    return CertifiedIdentity.of(leaf);
  }

  /**
   * A trust manager for one kind of TLS context: it verifies the peer's certificate (a client's in a server
   * context, a server's in a client context) and hands who it names to {@code peer}. Host name checks are
   * replaced by {@code peer}: Boxer identities are ids and ips in the certificate, not DNS names.
   */
  public X509ExtendedTrustManager trustManager(IdentityCheck peer) {
    return new X509ExtendedTrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        peer.check(verify(chain, false));
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        peer.check(verify(chain, true));
      }

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
          throws CertificateException {
        checkClientTrusted(chain, authType);
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
          throws CertificateException {
        checkServerTrusted(chain, authType);
      }

      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
          throws CertificateException {
        checkClientTrusted(chain, authType);
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
          throws CertificateException {
        checkServerTrusted(chain, authType);
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return ca == null ? new X509Certificate[0] : new X509Certificate[] {ca};
      }
    };
  }
}
