package io.boxer.control.tls;

import io.grpc.netty.GrpcSslContexts;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Netty TLS contexts for Boxer's gRPC control connections: TLS 1.3 only, the JDK's TLS implementation,
 * HTTP/2 by ALPN (GrpcSslContexts), and Boxer's own identity checks in place of host-name verification.
 */
public final class TlsContexts {
  private static final String TLS_1_3 = "TLSv1.3";

  private TlsContexts() {}

  /**
   * A server context presenting {@code identity}. {@code clientCertificate}: REQUIRE for the mesh (every
   * peer is a member), OPTIONAL for the seed (a first join has no certificate yet).
   */
  public static SslContext server(TlsIdentity identity, X509ExtendedTrustManager clients, ClientAuth clientCertificate)
      throws SSLException {
    return GrpcSslContexts.configure(SslContextBuilder.forServer(identity.keyManager()), SslProvider.JDK)
        .trustManager(clients)
        .clientAuth(clientCertificate)
        .protocols(TLS_1_3)
        .build();
  }

  /** A client context presenting {@code identity}'s current certificate, if any. */
  public static SslContext client(TlsIdentity identity, X509ExtendedTrustManager servers) throws SSLException {
    return GrpcSslContexts.configure(SslContextBuilder.forClient(), SslProvider.JDK)
        .keyManager(identity.keyManager())
        .trustManager(servers)
        .endpointIdentificationAlgorithm(null) // the trust manager checks the Boxer identity instead
        .protocols(TLS_1_3)
        .build();
  }
}
