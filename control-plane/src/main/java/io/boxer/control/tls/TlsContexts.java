package io.boxer.control.tls;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.handler.ssl.util.KeyManagerFactoryWrapper;
import java.security.GeneralSecurityException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Netty TLS contexts for Boxer's gRPC control connections: TLS 1.3 only, HTTP/2 by ALPN (what gRPC requires), and
 * Boxer's own identity checks in place of host-name verification.
 *
 * <p>The TLS implementation is BoringSSL (netty-tcnative, for Linux on x86-64 and arm64) where it loads, else the
 * JDK's: every control message of a prime crosses two TLS records per node, and BoringSSL's cost less than half the
 * JDK's; a JVM's first handshakes too (docs/measurements.md, "OpenSSL for the control links"). Both run with the
 * same key and trust managers, protocols, cipher suites and ALPN. Netty's {@code -Dio.netty.handler.ssl.noOpenSsl=true}
 * (in {@code BOXER_JAVA_OPTS}) forces the JDK's.
 *
 * <p>The JDK context is built here and wrapped, rather than by Netty's {@code SslContextBuilder}: loading
 * Netty's JDK server context runs a one-time self-check that writes and reads a password-protected PKCS#12
 * key store (two PBKDF2 derivations), measured at a quarter of a node's start-up CPU on a cold JVM. Boxer's
 * key and trust managers are already the extended kinds that check needs to find out about.
 */
public final class TlsContexts {
  private static final String TLS_1_3 = "TLSv1.3";
  private static final ApplicationProtocolConfig HTTP_2 = new ApplicationProtocolConfig(Protocol.ALPN,
      // the only choices that work with the JDK's TLS (BoringSSL takes them too)
      SelectorFailureBehavior.NO_ADVERTISE, SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2);

  private TlsContexts() {}

  /** The TLS implementation the contexts use in this JVM, for a log line: "BoringSSL" or "JDK". */
  public static String implementation() {
    return OpenSsl.isAvailable() ? OpenSsl.versionString() : "JDK";
  }

  /**
   * A server context presenting {@code identity}. {@code clientCertificate}: REQUIRE for the mesh (every
   * peer is a member), OPTIONAL for the seed (a first join has no certificate yet).
   */
  public static SslContext server(TlsIdentity identity, X509ExtendedTrustManager clients, ClientAuth clientCertificate)
      throws SSLException {
    return context(identity, clients, false, clientCertificate);
  }

  /** A client context presenting {@code identity}'s current certificate, if any. */
  public static SslContext client(TlsIdentity identity, X509ExtendedTrustManager servers) throws SSLException {
    // no endpoint identification: the trust manager checks the Boxer identity instead
    return context(identity, servers, true, ClientAuth.NONE);
  }

  private static SslContext context(TlsIdentity identity, X509ExtendedTrustManager peers, boolean client,
      ClientAuth clientAuth) throws SSLException {
    if (OpenSsl.isAvailable()) {
      // the key manager is asked at every handshake, so a renewed certificate is presented at once, as with the JDK
      SslContextBuilder builder = client
          ? SslContextBuilder.forClient().keyManager(identity.keyManager())
          : SslContextBuilder.forServer(new KeyManagerFactoryWrapper(identity.keyManager()));
      return builder.sslProvider(SslProvider.OPENSSL).trustManager(peers).protocols(TLS_1_3)
          .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE).applicationProtocolConfig(HTTP_2)
          .clientAuth(clientAuth).build();
    }
    try {
      SSLContext jdk = SSLContext.getInstance(TLS_1_3);
      jdk.init(new KeyManager[] {identity.keyManager()}, new TrustManager[] {peers}, null);
      return new JdkSslContext(jdk, client, Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE, HTTP_2,
          clientAuth, new String[] {TLS_1_3}, false);
    } catch (GeneralSecurityException e) {
      throw new SSLException("this JDK cannot make a TLS 1.3 context", e);
    }
  }
}
