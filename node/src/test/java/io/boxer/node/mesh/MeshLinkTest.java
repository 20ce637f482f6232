package io.boxer.node.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.control.OutboundStream;
import io.boxer.node.membership.Peer;
import io.boxer.node.priming.ListenerProbe;
import io.boxer.node.priming.NatPrimer;
import io.boxer.node.priming.PrimeHandler;
import io.boxer.testing.FakeCallStream;
import io.boxer.proto.mesh.v1.Goodbye;
import io.boxer.proto.mesh.v1.Hello;
import io.boxer.proto.mesh.v1.MeshFrame;
import io.boxer.proto.mesh.v1.PrimeRequest;
import io.boxer.proto.mesh.v1.PrimeResponse;
import io.boxer.proto.mesh.v1.ProbeRequest;
import io.boxer.proto.v1.PrimeResult;
import io.grpc.Status;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** Links wired back to back, as gRPC would after the hello exchange, on loopback only. */
class MeshLinkTest {
  private static final InetSocketAddress CLIENT = new InetSocketAddress("127.0.0.1", 9); // discard port: nothing listens

  /** A handler that primes for real and records the news it gets. */
  private static final class RecordingHandler implements LinkHandler {
    final PrimeHandler primes = new PrimeHandler(new ListenerProbe(), new NatPrimer(), () -> "member");
    final List<String> news = new ArrayList<>();
    final List<MeshLink> closed = new ArrayList<>();

    @Override
    public PrimeResponse prime(Peer from, PrimeRequest request) {
      return primes.handle(from, request);
    }

    @Override
    public long silentMillis(long targetId) {
      return targetId * 10;
    }

    @Override
    public void onProbeResponse(long targetId, long silentMillis) {
      news.add("probe " + targetId + " " + silentMillis);
    }

    @Override
    public void onGoodbye(Peer from, Goodbye.Reason reason) {
      news.add("goodbye " + from.id() + " " + reason);
    }

    @Override
    public void onLinkClosed(MeshLink link) {
      closed.add(link);
    }
  }

  private final RecordingHandler handler = new RecordingHandler();

  private static OutboundStream<MeshFrame> to(Consumer<MeshFrame> receiver) {
    return new OutboundStream<>(new FakeCallStream<>(receiver), 16, status -> {});
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
        .setPrimeRequest(PrimeRequest.newBuilder()
            .setListenPort(80)
            .setClient(io.boxer.control.Endpoints.toProto(new InetSocketAddress("198.18.0.77", 4000))))
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
  void prime_timesOutWhenThePeerNeverAnswers_atTheFirstExpiryAfterItsTimeout() throws Exception {
    MeshLink silent = new MeshLink(member(5), to(f -> {}), handler);
    long sent = System.nanoTime();
    var pending = silent.prime(80, CLIENT, Duration.ofMillis(100));

    silent.expirePrimes(sent + Duration.ofMillis(99).toNanos());
    assertThat(pending).as("within its timeout").isNotDone();
    silent.expirePrimes(System.nanoTime() + Duration.ofMillis(100).toNanos());

    PrimeResponse response = pending.getNow(null);
    assertThat(response.getResult()).isEqualTo(PrimeResult.FAILED);
    assertThat(response.getDetail()).isEqualTo("member 5 did not answer within 100 ms");
  }

  @Test
  void onClosed_failsOutstandingRequests_andTellsTheHandlerOnce() throws Exception {
    MeshLink silent = new MeshLink(member(5), to(f -> {}), handler);
    var pending = silent.prime(80, CLIENT, Duration.ofSeconds(30));

    silent.onClosed();
    silent.onClosed();

    assertThat(pending.get().getResult()).isEqualTo(PrimeResult.FAILED);
    assertThat(silent.isOpen()).isFalse();
    assertThat(handler.closed).containsExactly(silent);
  }

  @Test
  void failPending_failsWaitingPrimesAtOnce() throws Exception {
    MeshLink silent = new MeshLink(member(5), to(f -> {}), handler);
    var pending = silent.prime(80, CLIENT, Duration.ofSeconds(30));

    silent.failPending("member 5 is not responding (suspected down)");

    assertThat(pending.get().getDetail()).isEqualTo("member 5 is not responding (suspected down)");
    assertThat(silent.isOpen()).isTrue();
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
        .setPrimeRequest(PrimeRequest.newBuilder().setListenPort(0)).build());

    assertThat(sent).singleElement().satisfies(f -> {
      assertThat(f.getPrimeResponse().getResult()).isEqualTo(PrimeResult.FAILED);
      assertThat(f.getPrimeResponse().getDetail()).contains("prime_request.listen_port : 0");
    });
  }

  @Test
  void probeRequest_isAnsweredWithHowLongWeHaveNotHeardTheTarget_andResponsesReachTheHandler() {
    MeshLink[] links = pair();

    links[0].probe(7);

    assertThat(handler.news).containsExactly("probe 7 70");
  }

  @Test
  void anyFrame_isASignOfLife_andGoodbyeReachesTheHandler() throws Exception {
    MeshLink[] links = pair();
    long before = links[1].lastHeardNanos();
    Thread.sleep(5);

    links[0].heartbeat();
    assertThat(links[1].lastHeardNanos()).isGreaterThan(before);

    links[0].close(Goodbye.Reason.DECLARED_DEAD);
    assertThat(handler.news).containsExactly("goodbye 1 DECLARED_DEAD"); // heard by the other end, from member 1
    assertThat(links[0].isOpen()).isFalse();
  }

  @Test
  void aPeerThatDoesNotRead_losesTheLink_withBoundedMemory() {
    FakeCallStream<MeshFrame> stream = new FakeCallStream<>(f -> {});
    List<Status> overflows = new ArrayList<>();
    MeshLink[] holder = new MeshLink[1];
    OutboundStream<MeshFrame> out = MeshLink.sender(stream, () -> overflows.add(Status.RESOURCE_EXHAUSTED));
    holder[0] = new MeshLink(member(5), out, handler);
    stream.setReady(false);

    for (int i = 0; i < MeshLink.MAX_QUEUED_FRAMES + 10; i++) {
      holder[0].heartbeat();
    }

    assertThat(overflows).hasSize(1);
    assertThat(out.queued()).isZero();
    assertThat(stream.errors).singleElement()
        .satisfies(e -> assertThat(Status.fromThrowable(e).getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    assertThat(holder[0].isOpen()).isFalse();
  }

  @Test
  void queuedFrames_goOutInOrderWhenTheTransportBecomesReady() {
    List<MeshFrame> sent = new ArrayList<>();
    FakeCallStream<MeshFrame> stream = new FakeCallStream<>(sent::add);
    MeshLink link = new MeshLink(member(5), MeshLink.sender(stream, () -> {}), handler);
    stream.setReady(false);

    link.probe(1);
    link.probe(2);
    assertThat(sent).isEmpty();
    stream.setReady(true);

    assertThat(sent).extracting(f -> f.getProbeRequest().getTargetId()).containsExactly(1L, 2L);
    assertThat(ProbeRequest.getDefaultInstance()).isNotNull();
  }

  @Test
  void heartbeats_measureTheLinksRoundTrip_atBothEnds() {
    MeshLink[] links = pair();

    links[0].heartbeat();
    links[1].heartbeat(); // echoes links[0]'s clock
    links[0].heartbeat(); // echoes links[1]'s clock

    assertThat(links[0].rttMicros()).isPositive();
    assertThat(links[0].smoothedRttMicros()).isEqualTo(links[0].rttMicros());
    assertThat(links[1].rttMicros()).isPositive();
  }

  @Test
  void primesServed_areCountedForThePeerThatAsked_untilItIsForgotten() throws Exception {
    MeshLink[] links = pair();
    int freePort;
    try (ServerSocket probe = new ServerSocket(0)) {
      freePort = probe.getLocalPort();
    }
    try (ServerSocket listener = new ServerSocket()) {
      listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      listener.bind(new InetSocketAddress("127.0.0.1", 0));
      links[0].prime(listener.getLocalPort(), CLIENT, Duration.ofSeconds(5)).get();
    }
    links[0].prime(freePort, CLIENT, Duration.ofSeconds(5)).get();

    // links[0] is member 1's end: its requests reach member 2's handler from member 1
    assertThat(handler.primes.primesOf(1)).isEqualTo(new PrimeHandler.PeerPrimes(1, 1, 0));
    assertThat(handler.primes.primesOf(2)).isEqualTo(PrimeHandler.PeerPrimes.NONE);
    handler.primes.forget(1);
    assertThat(handler.primes.primesOf(1)).isEqualTo(PrimeHandler.PeerPrimes.NONE);
  }
}
