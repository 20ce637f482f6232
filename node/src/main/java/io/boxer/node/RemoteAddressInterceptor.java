package io.boxer.node;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Grpc;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Exposes the transport's remote address to service code: the seed reflects it to joining nodes, the mesh
 * checks it against the member's record. Stateless.
 */
public final class RemoteAddressInterceptor implements ServerInterceptor {
  private static final Context.Key<InetSocketAddress> REMOTE = Context.key("boxer-remote-address");

  /** The remote address of the current call, or null outside a call or on a non-IP transport. */
  public static InetSocketAddress current() {
    return REMOTE.get();
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(
      ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
    SocketAddress remote = call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR);
    InetSocketAddress inet = remote instanceof InetSocketAddress ? (InetSocketAddress) remote : null;
    return Contexts.interceptCall(Context.current().withValue(REMOTE, inet), call, headers, next);
  }
}
