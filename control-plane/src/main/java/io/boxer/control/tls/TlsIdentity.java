package io.boxer.control.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * A key pair and the certificate currently issued for it. The certificate can be replaced while TLS contexts
 * use the {@link #keyManager()} (renewal): new handshakes present the new one, established connections keep
 * theirs. Before a certificate is installed, or once it has expired, the key manager offers none: a client
 * then connects without a certificate, a server fails the handshake. Thread-safe.
 */
public final class TlsIdentity {
  private static final String ALIAS = "boxer";

  private final KeyPair keyPair;
  private final AtomicReference<X509Certificate> certificate = new AtomicReference<>();

  private TlsIdentity(KeyPair keyPair) {
    this.keyPair = keyPair;
  }

  /** A fresh EC P-256 key pair without a certificate yet. */
  public static TlsIdentity generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return new TlsIdentity(generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("this JDK cannot generate EC P-256 keys", e);
    }
  }

  /** A key pair with its certificate. */
  public static TlsIdentity of(KeyPair keyPair, X509Certificate certificate) {
    TlsIdentity identity = new TlsIdentity(keyPair);
    identity.install(certificate);
    return identity;
  }

  public PublicKey publicKey() {
    return keyPair.getPublic();
  }

  /**
   * Installs a certificate for this key (the first, or a renewal).
   *
   * @throws IllegalArgumentException if it certifies another key
   */
  public void install(X509Certificate issued) {
    if (!issued.getPublicKey().equals(keyPair.getPublic())) {
      throw new IllegalArgumentException("certificate " + issued.getSubjectX500Principal().getName()
          + " certifies another key");
    }
    certificate.set(issued);
  }

  /** The installed certificate, if any (even if expired). */
  public Optional<X509Certificate> certificate() {
    return Optional.ofNullable(certificate.get());
  }

  /** The installed certificate if it is valid now. */
  public Optional<X509Certificate> validCertificate() {
    X509Certificate c = certificate.get();
    if (c == null) {
      return Optional.empty();
    }
    try {
      c.checkValidity(new Date());
      return Optional.of(c);
    } catch (CertificateException e) {
      return Optional.empty();
    }
  }

  /** A key manager that always offers the current valid certificate, for client and server contexts. */
  public X509ExtendedKeyManager keyManager() {
    return new X509ExtendedKeyManager() {
      @Override
      public String[] getClientAliases(String keyType, Principal[] issuers) {
        return alias() == null ? null : new String[] {ALIAS};
      }

      @Override
      public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return alias();
      }

      @Override
      public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return alias();
      }

      @Override
      public String[] getServerAliases(String keyType, Principal[] issuers) {
        return alias() == null ? null : new String[] {ALIAS};
      }

      @Override
      public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return alias();
      }

      @Override
      public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return alias();
      }

      @Override
      public X509Certificate[] getCertificateChain(String alias) {
        return validCertificate().map(c -> new X509Certificate[] {c}).orElse(null);
      }

      @Override
      public PrivateKey getPrivateKey(String alias) {
        return ALIAS.equals(alias) ? keyPair.getPrivate() : null;
      }

      private String alias() {
        return validCertificate().isPresent() ? ALIAS : null;
      }
    };
  }
}
