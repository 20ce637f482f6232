package io.boxer.node.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.node.RemoteAddressInterceptor;
import io.boxer.node.membership.Membership;
import io.boxer.node.membership.Peer;
import io.boxer.node.priming.ListenerProbe;
import io.boxer.node.priming.NatPrimer;
import io.boxer.node.priming.PrimeHandler;
import io.boxer.proto.mesh.v1.Hello;
import io.boxer.proto.mesh.v1.MeshFrame;
import io.boxer.proto.mesh.v1.MeshGrpc;
import io.boxer.proto.mesh.v1.PrimeRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The link handshake over a real server on loopback, so the transport's remote address is real. */
class MeshServiceTest {
  private final Membership membership = new Membership();
  private final MeshLinks links = new MeshLinks();
  private Server server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    membership.put(new Peer(5, new InetSocketAddress("127.0.0.1", 7005)));
    membership.put(new Peer(6, new InetSocketAddress("198.18.0.66", 7006)));
    MeshService service = new MeshService(() -> 1, membership, links,
        new PrimeHandler(new ListenerProbe(), new NatPrimer()));
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(service, new RemoteAddressInterceptor()))
        .build()
        .start();
    channel = NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
  }

  /** Sends one frame as the first of a link; completes with the first answer frame or the error status. */
  private CompletableFuture<Object> firstAnswer(MeshFrame first) {
    CompletableFuture<Object> answer = new CompletableFuture<>();
    StreamObserver<MeshFrame> requests = MeshGrpc.newStub(channel).link(new StreamObserver<>() {
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
    return answer;
  }

  private static MeshFrame hello(long id) {
    return MeshFrame.newBuilder().setHello(Hello.newBuilder().setNodeId(id)).build();
  }

  @Test
  void link_fromAKnownMemberAtItsAddress_isAcceptedWithOurHello() throws Exception {
    Object answer = firstAnswer(hello(5)).get(5, TimeUnit.SECONDS);

    assertThat(answer).isInstanceOfSatisfying(MeshFrame.class, f -> assertThat(f.getHello().getNodeId()).isEqualTo(1));
    assertThat(links.isLinked(5)).isTrue();
  }

  @Test
  void link_whoseFirstFrameIsNotHello_isPermissionDenied() throws Exception {
    Object answer = firstAnswer(MeshFrame.newBuilder()
        .setPrimeRequest(PrimeRequest.newBuilder().setListenPort(80)).build()).get(5, TimeUnit.SECONDS);

    assertThat(answer).isInstanceOfSatisfying(Status.class, s -> {
      assertThat(s.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(s.getDescription()).isEqualTo("first frame must be hello, got PRIME_REQUEST");
    });
  }

  @Test
  void link_fromAnUnknownMember_isPermissionDenied() throws Exception {
    Object answer = firstAnswer(hello(99)).get(5, TimeUnit.SECONDS);

    assertThat(answer).isInstanceOfSatisfying(Status.class, s -> {
      assertThat(s.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(s.getDescription()).isEqualTo("unknown member 99");
    });
  }

  @Test
  void link_claimingAMemberAtAnotherAddress_isPermissionDenied() throws Exception {
    Object answer = firstAnswer(hello(6)).get(5, TimeUnit.SECONDS);

    assertThat(answer).isInstanceOfSatisfying(Status.class, s -> {
      assertThat(s.getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
      assertThat(s.getDescription()).startsWith("member 6 is at 198.18.0.66 but the link came from /127.0.0.1:");
    });
    assertThat(links.isLinked(6)).isFalse();
  }
}
