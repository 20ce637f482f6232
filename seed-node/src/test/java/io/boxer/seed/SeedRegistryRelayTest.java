package io.boxer.seed;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.control.tls.ClusterCa;
import io.boxer.control.tls.JoinToken;
import io.boxer.proto.seed.v1.RelayDeclined;
import io.boxer.proto.seed.v1.RelayOffer;
import io.boxer.proto.seed.v1.RelayRequest;
import io.boxer.proto.seed.v1.SeedEvent;
import io.boxer.seed.SeedRegistryTest.FakeStream;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The seed's side of a relay request: tickets and offers, refusals, and a peer that declines. */
class SeedRegistryRelayTest {
  private static final ClusterCa CA = ClusterCa.fromToken(JoinToken.parse("boxer_seed-registry-relay-0123456789"));
  private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);
  private final SimpleMeterRegistry metrics = new SimpleMeterRegistry();
  private final RelaySessions sessions = new RelaySessions();
  private final SeedRegistry registry = new SeedRegistry(CA, Duration.ofMinutes(10), null,
      new IdAllocator(millis::get), new SeedMetrics(metrics), sessions, () -> 7947, null);
  private final FakeStream a = new FakeStream();
  private final FakeStream b = new FakeStream();

  private long admit(String ip, FakeStream stream, boolean relayOnly) throws Exception {
    return registry.join(stream, new ValidJoin(new InetSocketAddress(ip, 40000), stream.key, "member", 0, relayOnly));
  }

  @Test
  void relayRequest_givesTheRequesterItsTicket_andThePeerAnOffer() throws Exception {
    long idA = admit("198.18.0.101", a, true);
    long idB = admit("198.18.0.102", b, false);
    assertThat(a.events.get(0).getWelcome().getRelayPort()).isEqualTo(7947);
    assertThat(b.events.get(0).getWelcome().getMembersList()).anyMatch(m -> m.getId() == idA && m.getRelayOnly());
    a.events.clear();
    b.events.clear();

    registry.relay(a, RelayRequest.newBuilder().setRequestId(5).setPeerId(idB).setPort(8080).build(), 0);

    assertThat(a.events).singleElement().satisfies(e -> {
      assertThat(e.getRelayTicket().getRequestId()).isEqualTo(5);
      assertThat(e.getRelayTicket().getTicket().size()).isEqualTo(16);
    });
    RelayOffer offer = b.events.get(0).getRelayOffer();
    assertThat(offer.getPeerId()).isEqualTo(idA);
    assertThat(offer.getPort()).isEqualTo(8080);
    assertThat(offer.getTicket()).isNotEqualTo(a.events.get(0).getRelayTicket().getTicket());
    assertThat(sessions.pending()).isEqualTo(1);
  }

  @Test
  void relayRequest_toANonMember_orItself_failsWithTheReason() throws Exception {
    long idA = admit("198.18.0.101", a, false);
    a.events.clear();

    registry.relay(a, RelayRequest.newBuilder().setRequestId(1).setPeerId(idA).setPort(80).build(), 0);
    registry.relay(a, RelayRequest.newBuilder().setRequestId(2).setPeerId(12345).setPort(80).build(), 0);

    assertThat(a.events).extracting(SeedEvent::getRelayFailed).allSatisfy(f ->
        assertThat(f.getReason()).contains("the seed refused").contains("is not another member"));
    assertThat(sessions.pending()).isZero();
  }

  @Test
  void declinedOffer_reachesTheRequester_withRefusedKept() throws Exception {
    admit("198.18.0.101", a, false);
    long idB = admit("198.18.0.102", b, false);
    registry.relay(a, RelayRequest.newBuilder().setRequestId(9).setPeerId(idB).setPort(9).build(), 0);
    long session = b.events.get(b.events.size() - 1).getRelayOffer().getSessionId();
    a.events.clear();

    registry.relayDeclined(a, RelayDeclined.newBuilder().setSessionId(session).setReason("not yours").build(), 0);
    assertThat(a.events).as("only the offered member can decline").isEmpty();
    registry.relayDeclined(b, RelayDeclined.newBuilder().setSessionId(session).setReason("nothing listens on port 9")
        .setRefused(true).build(), 0);

    assertThat(a.events).singleElement().satisfies(e -> {
      assertThat(e.getRelayFailed().getRequestId()).isEqualTo(9);
      assertThat(e.getRelayFailed().getRefused()).isTrue();
      assertThat(e.getRelayFailed().getReason()).isEqualTo("member " + idB + " declined: nothing listens on port 9");
    });
    assertThat(sessions.expire(RelaySessions.DECLINED_LINGER.toNanos() + 1)).as("nobody waited").isEmpty();
    assertThat(sessions.pending()).isZero();
  }
}
