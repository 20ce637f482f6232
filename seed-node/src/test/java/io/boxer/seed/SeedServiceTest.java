package io.boxer.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.boxer.control.Protocol;
import io.boxer.control.tls.CertifiedIdentity;
import io.boxer.control.tls.ClusterTrust;
import io.boxer.control.tls.JoinToken;
import io.boxer.control.tls.TlsContexts;
import io.boxer.control.tls.TlsIdentity;
import io.boxer.node.mesh.LocalPortNioSocketChannel;
import io.boxer.proto.seed.v1.ClusterStatus;
import io.boxer.proto.seed.v1.JoinRequest;
import io.boxer.proto.seed.v1.NodeMessage;
import io.boxer.proto.seed.v1.SeedEvent;
import io.boxer.proto.seed.v1.Welcome;
import io.boxer.proto.seed.v1.SeedGrpc;
import io.boxer.proto.seed.v1.StatusRequest;
import io.boxer.proto.v1.Heartbeat;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.security.cert.CertificateException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A real seed over loopback and TLS, talked to by a raw client: bad and hostile join requests get the
 * documented status, and a refused client learns nothing about the cluster.
 */
class SeedServiceTest {
  private static final JoinToken TOKEN = JoinToken.parse("boxer_seed-service-test-0123456789");
  private final NioEventLoopGroup eventLoop = new NioEventLoopGroup(1);
  private SeedServer seed;
  private ManagedChannel channel;
  private int localPort;

  @BeforeEach
  void start() throws Exception {
    seed = new SeedServer(SeedConfig.of(new InetSocketAddress("127.0.0.1", 0), TOKEN)).start();
    try (ServerSocket free = new ServerSocket(0)) {
      localPort = free.getLocalPort();
    }
    channel = channel(TOKEN, localPort);
  }

  /** A client that verifies the seed under {@code token}'s CA and dials from {@code fromPort}. */
  private ManagedChannel channel(JoinToken token, int fromPort) throws Exception {
    return NettyChannelBuilder.forAddress("127.0.0.1", seed.port())
        .eventLoopGroup(eventLoop)
        .channelFactory(() -> new LocalPortNioSocketChannel(fromPort))
        .sslContext(TlsContexts.client(TlsIdentity.generate(), ClusterTrust.forToken(token).trustManager(peer -> {
          if (peer.kind() != CertifiedIdentity.Kind.SEED) {
            throw new CertificateException("not the seed");
          }
        })))
        .maxInboundMessageSize(64 * 1024)
        .build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    seed.close();
    eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  private JoinRequest.Builder valid() {
    return JoinRequest.newBuilder()
        .setProtocolVersion(Protocol.VERSION)
        .setControlPort(localPort)
        .setJoinKey(ByteString.copyFrom(TOKEN.joinKey()))
        .setPublicKey(ByteString.copyFrom(TlsIdentity.generate().publicKey().getEncoded()));
  }

  /** What one Join stream delivered: its events, and how it ended. */
  private record Outcome(List<SeedEvent> events, Status status) {}

  private Outcome session(ManagedChannel on, NodeMessage first) throws Exception {
    List<SeedEvent> events = new CopyOnWriteArrayList<>();
    CompletableFuture<Status> end = new CompletableFuture<>();
    StreamObserver<NodeMessage> requests = SeedGrpc.newStub(on).join(new StreamObserver<>() {
      @Override
      public void onNext(SeedEvent value) {
        events.add(value);
        if (value.hasWelcome()) {
          end.complete(Status.OK);
        }
      }

      @Override
      public void onError(Throwable t) {
        end.complete(Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        end.complete(Status.OK);
      }
    });
    if (first != null) {
      requests.onNext(first);
    }
    Status status = end.get(10, TimeUnit.SECONDS);
    return new Outcome(events, status);
  }

  private Outcome join(JoinRequest.Builder request) throws Exception {
    return session(channel, NodeMessage.newBuilder().setJoin(request).build());
  }

  @Test
  void validJoin_isWelcomedWithACertificateNamingTheNode() throws Exception {
    Outcome outcome = join(valid().setRole("cache"));
    assertThat(outcome.status().isOk()).as(outcome.status().toString()).isTrue();
    assertThat(outcome.events().get(0).getWelcome().getMembers(0).getRole()).isEqualTo("cache");
    assertThat(outcome.events().get(0).getWelcome().getCertificate().isEmpty()).isFalse();
  }

  @Test
  void missingOrWrongJoinKey_isUnauthenticated_andLearnsNothing() throws Exception {
    join(valid()); // a member the stranger must not hear about
    Outcome missing = join(valid().clearJoinKey());
    Outcome wrong = join(valid().setJoinKey(ByteString.copyFrom(JoinToken.parse("boxer_some-other-token-0123456789").joinKey())));

    for (Outcome o : List.of(missing, wrong)) {
      assertThat(o.status().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
      assertThat(o.status().getDescription()).isEqualTo("wrong join token");
      assertThat(o.events()).isEmpty();
    }
    assertThat(seed.members()).isEqualTo(1);
  }

  @Test
  void clientThatDerivesAnotherCa_refusesTheSeedBeforeSendingAnything() throws Exception {
    ManagedChannel other = channel(JoinToken.parse("boxer_some-other-token-0123456789"), 0);
    try {
      Outcome o = session(other, NodeMessage.newBuilder().setJoin(valid()).build());
      assertThat(o.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
      assertThat(o.status().getCause()).hasStackTraceContaining("not valid under the cluster CA");
      assertThat(seed.members()).isZero();
    } finally {
      other.shutdownNow();
    }
  }

  @Test
  void portRandomizingNat_joinsRelayOnly_andLearnsTheRelayPort() throws Exception {
    Outcome outcome = join(valid().setControlPort(localPort == 65535 ? 1 : localPort + 1));

    assertThat(outcome.status().isOk()).as(outcome.status().toString()).isTrue();
    Welcome welcome = outcome.events().get(0).getWelcome();
    assertThat(welcome.getMembers(0).getRelayOnly()).isTrue();
    assertThat(welcome.getRelayPort()).isEqualTo(seed.relayPort()).isPositive();
  }

  @Test
  void portRandomizingNat_isRefused_byASeedWithoutRelay() throws Exception {
    seed.close();
    seed = new SeedServer(SeedConfig.of(new InetSocketAddress("127.0.0.1", 0), TOKEN)
        .withRelayPort(SeedConfig.NO_RELAY)).start();
    channel.shutdownNow();
    channel = channel(TOKEN, localPort);

    Outcome outcome = join(valid().setControlPort(localPort == 65535 ? 1 : localPort + 1));

    assertThat(outcome.status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(outcome.status().getDescription()).contains("does not preserve ports").contains("without one");
    assertThat(join(valid()).events().get(0).getWelcome().getRelayPort()).as("no relay, none announced").isZero();
  }

  @Test
  void malformedRequests_getTheDocumentedStatus() throws Exception {
    assertThat(join(valid().setProtocolVersion(1)).status().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(join(valid().setControlPort(0)).status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(join(valid().setPublicKey(ByteString.copyFromUtf8("junk"))).status().getCode())
        .isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(join(valid().setRole("Not A Role")).status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(join(valid().setRejoinId(42)).status().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    Outcome notJoin = session(channel, NodeMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build());
    assertThat(notJoin.status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(seed.members()).isZero();
    // still serving
    assertThat(join(valid()).status().isOk()).isTrue();
  }

  @Test
  void oversizedMessage_isResourceExhausted() throws Exception {
    Outcome o = join(valid().setRole("x".repeat(5 * 1024 * 1024)));
    assertThat(o.status().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(join(valid()).status().isOk()).isTrue();
  }

  @Test
  void silentStreams_areCutOffAfterTheFirstMessageDeadline_atMostFourAtOnceOnAConnection() throws Exception {
    List<CompletableFuture<Outcome>> silent = new CopyOnWriteArrayList<>();
    for (int i = 0; i < 8; i++) {
      silent.add(CompletableFuture.supplyAsync(() -> {
        try {
          return session(channel, null);
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }));
    }
    CompletableFuture.anyOf(silent.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
    Thread.sleep(300);
    long cut = silent.stream().filter(CompletableFuture::isDone).count();
    assertThat(cut).isEqualTo(4); // the server runs at most 4 streams per connection; the rest wait
    assertThat(silent.stream().filter(CompletableFuture::isDone).map(CompletableFuture::join))
        .allSatisfy(o -> assertThat(o.status().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
  }

  private static StatusRequest statusRequest(JoinToken token) {
    return StatusRequest.newBuilder().setProtocolVersion(Protocol.VERSION)
        .setJoinKey(ByteString.copyFrom(token.joinKey())).build();
  }

  @Test
  void status_withTheToken_listsEveryMemberWithItsAddress() throws Exception {
    Outcome joined = join(valid());
    long id = joined.events().get(0).getWelcome().getNodeId();

    ClusterStatus status = SeedGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .status(statusRequest(TOKEN));

    assertThat(status.getMembersList()).singleElement().satisfies(m -> {
      assertThat(m.getMember().getId()).isEqualTo(id);
      assertThat(m.getMember().getControl().getPort()).isEqualTo(localPort);
      assertThat(m.getJoinedUnixMs()).isPositive();
    });
  }

  @Test
  void status_withAWrongJoinKey_isUnauthenticated_andListsNothing() throws Exception {
    join(valid());
    // the caller verified the seed (same CA file, say) but holds another token: the key it sends is wrong
    StatusRequest wrong = StatusRequest.newBuilder().setProtocolVersion(Protocol.VERSION)
        .setJoinKey(ByteString.copyFrom(JoinToken.parse("boxer_another-cluster-token-0123456789").joinKey())).build();

    assertThatThrownBy(() -> SeedGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS).status(wrong))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
          assertThat(e.getStatus().getDescription()).isEqualTo("wrong join token");
        });
    assertThatThrownBy(() -> SeedGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
        .status(StatusRequest.newBuilder().setProtocolVersion(Protocol.VERSION).build()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
  }

  @Test
  void status_callsWithoutTheToken_doNotUseUpTheBudget() {
    SeedGrpc.SeedBlockingStub stub = SeedGrpc.newBlockingStub(channel);
    StatusRequest wrong = statusRequest(JoinToken.parse("boxer_another-cluster-token-0123456789"));
    for (int i = 0; i < 2 * SeedService.STATUS_CALL_BURST + 10; i++) {
      assertThatThrownBy(() -> stub.withDeadlineAfter(5, TimeUnit.SECONDS).status(wrong))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
    }

    assertThat(stub.withDeadlineAfter(5, TimeUnit.SECONDS).status(statusRequest(TOKEN))).isNotNull();
  }

  @Test
  void status_beyondItsRateLimit_isResourceExhausted() {
    SeedGrpc.SeedBlockingStub stub = SeedGrpc.newBlockingStub(channel);
    stub.withDeadlineAfter(5, TimeUnit.SECONDS).status(statusRequest(TOKEN)); // the TLS handshake, out of the way
    List<Status.Code> codes = new java.util.ArrayList<>();
    for (int i = 0; i < 2 * SeedService.STATUS_CALL_BURST + 10; i++) { // far more than a second's refill
      try {
        stub.withDeadlineAfter(5, TimeUnit.SECONDS).status(statusRequest(TOKEN));
        codes.add(Status.Code.OK);
      } catch (StatusRuntimeException e) {
        codes.add(e.getStatus().getCode());
      }
    }

    assertThat(codes).contains(Status.Code.RESOURCE_EXHAUSTED).containsOnly(Status.Code.OK, Status.Code.RESOURCE_EXHAUSTED);
  }
}
