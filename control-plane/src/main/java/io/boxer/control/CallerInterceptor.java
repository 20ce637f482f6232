package io.boxer.control;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Exposes who is calling to service code: the transport's remote address (the seed reflects it to joining
 * nodes, the mesh checks it against the member's record) and the TLS client certificate, already verified
 * against the cluster CA by the server's trust manager. Stateless.
 */
public final class CallerInterceptor implements ServerInterceptor {
  private static final Context.Key<InetSocketAddress> ADDRESS = Context.key("boxer-caller-address");
  private static final Context.Key<X509Certificate> CERTIFICATE = Context.key("boxer-caller-certificate");

  /** The remote address of the current call, or null outside a call or on a non-IP transport. */
  public static InetSocketAddress address() {
    return ADDRESS.get();
  }

  /** The caller's verified TLS certificate, or null without TLS or when the caller presented none. */
  public static X509Certificate certificate() {
    return CERTIFICATE.get();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    InetSocketAddress inet = remote instanceof InetSocketAddress ? (InetSocketAddress) remote : null;
    X509Certificate certificate = leaf(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
    Context context = Context.current().withValue(ADDRESS, inet).withValue(CERTIFICATE, certificate);
    return Contexts.interceptCall(context, call, headers, next);
  }

  private static X509Certificate leaf(SSLSession session) {
    if (session == null) {
      return null;
    }
    try {
      Certificate[] chain = session.getPeerCertificates();
      return chain.length > 0 && chain[0] instanceof X509Certificate x509 ? x509 : null;
    } catch (SSLPeerUnverifiedException e) {
      return null; // no client certificate (a first join)
    }
  }
}
