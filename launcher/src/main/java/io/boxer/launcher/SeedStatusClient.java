package io.boxer.launcher;

import com.google.protobuf.ByteString;
import io.boxer.control.Protocol;
import io.boxer.control.tls.CertifiedIdentity;
import io.boxer.control.tls.ClusterTrust;
import io.boxer.control.tls.JoinToken;
import io.boxer.control.tls.TlsContexts;
import io.boxer.control.tls.TlsIdentity;
import io.boxer.proto.seed.v1.ClusterStatus;
import io.boxer.proto.seed.v1.SeedGrpc;
import io.boxer.proto.seed.v1.StatusRequest;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Asks the seed for the cluster's status (seed.proto, {@code Status}): over TLS, verifying the seed's
 * certificate under the cluster's CA before sending anything, then proving the token with the join key, as a
 * join does. The answer is at most one small record per member and link; 16 MiB covers hundreds of members.
 */
final class SeedStatusClient {
  private static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;

  private SeedStatusClient() {}

  /** @throws IOException saying why there is no answer, in words that say what to check */
  static ClusterStatus ask(InetSocketAddress seed, JoinToken token, ClusterTrust trust, Duration deadline)
      throws IOException, InterruptedException {
    InetSocketAddress address = seed.isUnresolved() ? new InetSocketAddress(seed.getHostString(), seed.getPort()) : seed;
    if (address.isUnresolved()) {
      throw new IOException("cannot resolve the seed host " + seed.getHostString());
    }
    ManagedChannel channel = NettyChannelBuilder.forAddress(address)
        .sslContext(TlsContexts.client(TlsIdentity.generate(), trust.trustManager(SeedStatusClient::requireSeed)))
        .maxInboundMessageSize(MAX_ANSWER_BYTES)
        .build();
    try {
      return SeedGrpc.newBlockingStub(channel).withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)
          .status(StatusRequest.newBuilder().setProtocolVersion(Protocol.VERSION)
              .setJoinKey(ByteString.copyFrom(token.joinKey())).build());
    } catch (StatusRuntimeException e) {
      throw new IOException(why(seed, e, deadline), e);
    } finally {
      channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    }
  }

  private static void requireSeed(CertifiedIdentity peer) throws CertificateException {
    if (peer.kind() != CertifiedIdentity.Kind.SEED) {
      throw new CertificateException("the seed must hold the seed certificate, not " + peer.uri());
    }
  }

  static String why(InetSocketAddress seed, StatusRuntimeException e, Duration deadline) {
    String where = seed.getHostString() + ":" + seed.getPort();
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof CertificateException) {
        return "the seed's TLS certificate does not verify under this cluster's CA: the join token differs from the"
            + " seed's (check --token / BOXER_TOKEN / --token-file, and --ca-cert), or " + where
            + " is not a Boxer seed (" + c.getMessage() + ")";
      }
    }
    String description = e.getStatus().getDescription();
    return switch (e.getStatus().getCode()) {
      case UNAUTHENTICATED, PERMISSION_DENIED -> "the seed at " + where + " refused the status request: "
          + description + " (check --token / BOXER_TOKEN / --token-file: it must be the seed's token)";
      case DEADLINE_EXCEEDED -> "the seed at " + where + " did not answer within " + deadline.toSeconds() + " s";
      case UNAVAILABLE -> "cannot reach the seed at " + where + ": " + description;
      default -> "the seed at " + where + " answered " + e.getStatus().getCode() + ": " + description;
    };
  }
}
