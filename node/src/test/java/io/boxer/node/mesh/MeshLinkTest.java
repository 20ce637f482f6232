package io.boxer.node.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.node.membership.Peer;
import io.boxer.node.priming.ListenerProbe;
import io.boxer.node.priming.NatPrimer;
import io.boxer.node.priming.PrimeHandler;
import io.boxer.proto.mesh.v1.Hello;
import io.boxer.proto.mesh.v1.MeshFrame;
import io.boxer.proto.mesh.v1.PrimeResponse;
import io.boxer.proto.v1.PrimeResult;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Two links wired back to back, as gRPC would after the hello exchange, on loopback only. */
class MeshLinkTest {
  private final PrimeHandler handler = new PrimeHandler(new ListenerProbe(), new NatPrimer());
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 9); // discard port: nothing listens

  private static StreamObserver<MeshFrame> to(Consumer<MeshFrame> receiver) {
    return new StreamObserver<>() {
      @Override
      public void onNext(MeshFrame value) {
        receiver.accept(value);
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {}
    };
  }

  /** A member whose external address is loopback, like {@link #CLIENT}. */
  private static Peer member(long id) {
    return new Peer(id, new InetSocketAddress("127.0.0.1", 7000 + (int) id));
  }

  private MeshLink[] pair() {
    MeshLink[] links = new MeshLink[2];
    links[0] = new MeshLink(member(2), to(f -> links[1].onFrame(f)), handler);
    links[1] = new MeshLink(member(1), to(f -> links[0].onFrame(f)), handler);
    return links;
  }

  @Test
  void prime_answersPrimedWhenSomethingListens() throws Exception {
    MeshLink[] links = pair();
    try (ServerSocket listener = new ServerSocket()) {
      listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      listener.bind(new InetSocketAddress("127.0.0.1", 0));

      PrimeResponse response = links[0].prime(listener.getLocalPort(), CLIENT, Duration.ofSeconds(5)).get();

      assertThat(response.getResult()).as(response.getDetail()).isEqualTo(PrimeResult.PRIMED);
    }
  }

  @Test
  void prime_answersRefusedWhenNothingListens() throws Exception {
    MeshLink[] links = pair();
    int freePort;
    try (ServerSocket probe = new ServerSocket(0)) {
      freePort = probe.getLocalPort();
    }

    PrimeResponse response = links[1].prime(freePort, CLIENT, Duration.ofSeconds(5)).get();

    assertThat(response.getResult()).isEqualTo(PrimeResult.REFUSED);
  }

  @Test
  void prime_forAThirdPartyAddress_isFailedAndSendsNothing() throws Exception {
    List<MeshFrame> sent = new ArrayList<>();
    MeshLink link = new MeshLink(member(5), to(sent::add), handler);

    link.onFrame(MeshFrame.newBuilder().setCorrelationId(4)
        .setPrimeRequest(io.boxer.proto.mesh.v1.PrimeRequest.newBuilder()
            .setListenPort(80)
            .setClient(io.boxer.node.Endpoints.toProto(new InetSocketAddress("198.18.0.77", 4000))))
        .build());

    assertThat(sent).singleElement().satisfies(f -> {
      assertThat(f.getPrimeResponse().getResult()).isEqualTo(PrimeResult.FAILED);
      assertThat(f.getPrimeResponse().getDetail())
          .contains("prime_request.client : 198.18.0.77 (expected: member 5's external address 127.0.0.1)");
    });
  }

  @Test
  void prime_failsWhenTheListenerDoesNotSharePort() throws Exception {
    MeshLink[] links = pair();
    try (ServerSocket listener = new ServerSocket(0)) { // no SO_REUSEPORT: priming cannot bind beside it
      PrimeResponse response = links[0].prime(listener.getLocalPort(), CLIENT, Duration.ofSeconds(5)).get();

      assertThat(response.getResult()).isEqualTo(PrimeResult.FAILED);
      assertThat(response.getDetail()).contains("priming port " + listener.getLocalPort() + " failed");
    }
  }

  @Test
  void prime_timesOutWhenThePeerNeverAnswers() throws Exception {
    MeshLink silent = new MeshLink(member(5), to(f -> {}), handler);

    PrimeResponse response = silent.prime(80, CLIENT, Duration.ofMillis(100)).get();

    assertThat(response.getResult()).isEqualTo(PrimeResult.FAILED);
    assertThat(response.getDetail()).isEqualTo("member 5 did not answer within 100 ms");
  }

  @Test
  void onClosed_failsOutstandingRequests() throws Exception {
    MeshLink silent = new MeshLink(member(5), to(f -> {}), handler);
    var pending = silent.prime(80, CLIENT, Duration.ofSeconds(30));

    silent.onClosed();

    assertThat(pending.get().getResult()).isEqualTo(PrimeResult.FAILED);
    assertThat(silent.isOpen()).isFalse();
  }

  @Test
  void unexpectedFrame_isAnsweredWithFailedAndTheLinkStaysUp() {
    List<MeshFrame> sent = new ArrayList<>();
    MeshLink link = new MeshLink(member(5), to(sent::add), handler);

    link.onFrame(MeshFrame.newBuilder().setCorrelationId(9).setHello(Hello.newBuilder().setNodeId(5)).build());

    assertThat(sent).singleElement().satisfies(f -> {
      assertThat(f.getCorrelationId()).isEqualTo(9);
      assertThat(f.getPrimeResponse().getResult()).isEqualTo(PrimeResult.FAILED);
    });
    assertThat(link.isOpen()).isTrue();
  }

  @Test
  void malformedPrimeRequest_isAnsweredWithFailed() {
    List<MeshFrame> sent = new ArrayList<>();
    MeshLink link = new MeshLink(member(5), to(sent::add), handler);

    link.onFrame(MeshFrame.newBuilder().setCorrelationId(3)
        .setPrimeRequest(io.boxer.proto.mesh.v1.PrimeRequest.newBuilder().setListenPort(0)).build());

    assertThat(sent).singleElement().satisfies(f -> {
      assertThat(f.getPrimeResponse().getResult()).isEqualTo(PrimeResult.FAILED);
      assertThat(f.getPrimeResponse().getDetail()).contains("prime_request.listen_port : 0");
    });
  }
}
