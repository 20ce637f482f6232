package io.boxer.node.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.control.CallerInterceptor;
import io.boxer.control.tls.ClusterCa;
import io.boxer.control.tls.JoinToken;
import io.boxer.control.tls.TlsContexts;
import io.boxer.control.tls.TlsIdentity;
import io.boxer.node.membership.Membership;
import io.boxer.node.membership.Peer;
import io.boxer.node.testing.TestCluster;
import io.boxer.proto.mesh.v1.Goodbye;
import io.boxer.proto.mesh.v1.Hello;
import io.boxer.proto.mesh.v1.MeshFrame;
import io.boxer.proto.mesh.v1.MeshGrpc;
import io.boxer.proto.mesh.v1.PrimeRequest;
import io.boxer.proto.mesh.v1.PrimeResponse;
import io.boxer.proto.v1.LinkPath;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.handler.ssl.ClientAuth;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The link handshake over a real mutual-TLS server on loopback, so the remote address and certificate are real. */
class MeshServiceTest {
  private final Membership membership = new Membership();
  private final MeshLinks links = new MeshLinks();
  private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private Server server;
  // which loopback connections the service treats as this node's own splices (none unless a test says so)
  private volatile MeshService.SplicedFrom spliced = (remote, peerId) -> null;

  private static final LinkHandler NO_HANDLER = new LinkHandler() {
    @Override
    public PrimeResponse prime(Peer from, PrimeRequest request) {
      throw new AssertionError("no prime expected");
    }

    @Override
    public long silentMillis(long targetId) {
      return 0;
    }

    @Override
    public void onProbeResponse(long targetId, long silentMillis) {}

    @Override
    public void onGoodbye(Peer from, Goodbye.Reason reason) {}

    @Override
    public void onLinkClosed(MeshLink link) {
      throw new AssertionError("no close expected");
    }
  };

  @BeforeEach
  void start() throws Exception {
    membership.put(new Peer(5, new InetSocketAddress("127.0.0.1", 7005)));
    membership.put(new Peer(6, new InetSocketAddress("198.18.0.66", 7006)));
    MeshService service = new MeshService(() -> 1, membership, links, NO_HANDLER, timers,
        (remote, peerId) -> spliced.pathOf(remote, peerId));
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .sslContext(TlsContexts.server(TestCluster.member(1, "127.0.0.1"), TestCluster.TRUST.trustManager(p -> {}),
            ClientAuth.REQUIRE))
        .addService(ServerInterceptors.intercept(service, new CallerInterceptor()))
        .build()
        .start();
  }

  @AfterEach
  void stop() throws Exception {
    for (ManagedChannel c : channels) {
      c.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    }
    server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    timers.shutdownNow();
  }

  private ManagedChannel as(TlsIdentity identity) throws Exception {
    ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
        .sslContext(TlsContexts.client(identity, TestCluster.TRUST.trustManager(p -> {})))
        .build();
    channels.add(channel);
    return channel;
  }

  /** Sends one frame as the first of a link; completes with the first answer frame or the error status. */
  private Object firstAnswer(TlsIdentity client, MeshFrame first) throws Exception {
    CompletableFuture<Object> answer = new CompletableFuture<>();
    StreamObserver<MeshFrame> requests = MeshGrpc.newStub(as(client)).link(new StreamObserver<>() {
      @Override
      public void onNext(MeshFrame value) {
        answer.complete(value);
      }

      @Override
      public void onError(Throwable t) {
        answer.complete(Status.fromThrowable(t));
      }

      @Override
      public void onCompleted() {
        answer.complete("completed");
      }
    });
    requests.onNext(first);
    return answer.get(5, TimeUnit.SECONDS);
  }

  private static MeshFrame hello(long id) {
    return MeshFrame.newBuilder().setHello(Hello.newBuilder().setNodeId(id)).build();
  }

  @Test
  void link_fromAKnownMemberAtItsAddressWithItsCertificate_isAcceptedWithOurHello() throws Exception {
    Object answer = firstAnswer(TestCluster.member(5, "127.0.0.1"), hello(5));

    assertThat(answer).isInstanceOfSatisfying(MeshFrame.class, f -> assertThat(f.getHello().getNodeId()).isEqualTo(1));
    assertThat(links.isLinked(5)).isTrue();
  }

  @Test
  void link_whoseFirstFrameIsNotHello_isPermissionDenied() throws Exception {
    Object answer = firstAnswer(TestCluster.member(5, "127.0.0.1"), MeshFrame.newBuilder()
        .setPrimeRequest(PrimeRequest.newBuilder().setListenPort(80)).build());

    assertThat(answer).isInstanceOfSatisfying(Status.class, s -> {
      assertThat(s.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(s.getDescription()).isEqualTo("first frame must be hello, got PRIME_REQUEST");
    });
  }

  @Test
  void link_fromAnUnknownMember_isPermissionDenied() throws Exception {
    Object answer = firstAnswer(TestCluster.member(99, "127.0.0.1"), hello(99));

    assertThat(answer).isInstanceOfSatisfying(Status.class, s -> {
      assertThat(s.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(s.getDescription()).isEqualTo("unknown member 99");
    });
  }

  @Test
  void hello_namingAnotherMemberThanTheCertificate_isPermissionDenied() throws Exception {
    Object answer = firstAnswer(TestCluster.member(7, "127.0.0.1"), hello(5));

    assertThat(answer).isInstanceOfSatisfying(Status.class, s -> {
      assertThat(s.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(s.getDescription()).isEqualTo("hello names member 5 but the certificate names boxer://node/7");
    });
    assertThat(links.isLinked(5)).isFalse();
  }

  @Test
  void link_throughThisNodesOwnSplice_isAcceptedFromLoopback_withTheSplicesPath() throws Exception {
    spliced = (remote, peerId) -> remote.getAddress().isLoopbackAddress() && peerId == 6
        ? LinkPath.SIMULTANEOUS_OPEN : null;

    Object answer = firstAnswer(TestCluster.member(6, "198.18.0.66"), hello(6));

    assertThat(answer).isInstanceOfSatisfying(MeshFrame.class, f -> assertThat(f.getHello().getNodeId()).isEqualTo(1));
    assertThat(links.get(6)).hasValueSatisfying(l -> assertThat(l.path()).isEqualTo(LinkPath.SIMULTANEOUS_OPEN));
  }

  @Test
  void link_throughThisNodesOwnSplice_stillNeedsTheMembersCertificate() throws Exception {
    spliced = (remote, peerId) -> LinkPath.SIMULTANEOUS_OPEN;

    Object answer = firstAnswer(TestCluster.member(6, "198.18.0.67"), hello(6));

    assertThat(answer).isInstanceOfSatisfying(Status.class, s -> {
      assertThat(s.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(s.getDescription()).isEqualTo("member 6 is at 198.18.0.66 but its certificate names 198.18.0.67");
    });
    assertThat(links.isLinked(6)).isFalse();
  }

  @Test
  void link_claimingAMemberAtAnotherAddress_isPermissionDenied() throws Exception {
    Object answer = firstAnswer(TestCluster.member(6, "198.18.0.66"), hello(6));

    assertThat(answer).isInstanceOfSatisfying(Status.class, s -> {
      assertThat(s.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(s.getDescription()).startsWith("member 6 is at 198.18.0.66 (certificate: 198.18.0.66) but the link came from /127.0.0.1:");
    });
    assertThat(links.isLinked(6)).isFalse();
  }

  @Test
  void clientsWithoutACertificateOrFromAnotherCluster_failTheHandshake() throws Exception {
    TlsIdentity foreign = TlsIdentity.generate();
    foreign.install(ClusterCa.fromToken(JoinToken.parse("boxer_another-cluster-0123456789ab"))
        .issueNode(5, InetAddress.getByName("127.0.0.1"), foreign.publicKey(), Duration.ofMinutes(5)));

    for (TlsIdentity client : List.of(TlsIdentity.generate(), foreign)) {
      Object answer = firstAnswer(client, hello(5));
      assertThat(answer).isInstanceOfSatisfying(Status.class,
          s -> assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }
    assertThat(links.isLinked(5)).isFalse();
  }
}
