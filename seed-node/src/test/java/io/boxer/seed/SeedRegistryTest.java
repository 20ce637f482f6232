package io.boxer.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.control.Liveness;
import io.boxer.control.tls.ClusterCa;
import io.boxer.control.tls.JoinToken;
import io.boxer.control.tls.TlsIdentity;
import io.boxer.proto.seed.v1.MemberLeft;
import io.boxer.proto.seed.v1.SeedEvent;
import io.boxer.proto.seed.v1.SimultaneousOpen;
import io.grpc.Status;
import io.grpc.StatusException;
import java.net.InetSocketAddress;
import java.security.PublicKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import io.boxer.proto.seed.v1.ClusterStatus;
import io.boxer.proto.seed.v1.LinkReport;
import io.boxer.proto.seed.v1.MemberStatus;
import io.boxer.proto.v1.LinkPath;
import io.boxer.proto.v1.LinkStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class SeedRegistryTest {
  private static final ClusterCa CA = ClusterCa.fromToken(JoinToken.parse("boxer_seed-registry-test-0123456789"));
  private final AtomicLong millis = new AtomicLong(1_700_000_000_000L);
  private final SimpleMeterRegistry metricsRegistry = new SimpleMeterRegistry();
  private final SeedRegistry registry = new SeedRegistry(CA, Duration.ofMinutes(10), null, new IdAllocator(millis::get),
      new SeedMetrics(metricsRegistry));

  /** A member's stream that records what the registry sends it. */
  static final class FakeStream implements MemberStream {
    final List<SeedEvent> events = new ArrayList<>();
    final PublicKey key = TlsIdentity.generate().publicKey();
    long id;
    long lastHeard = System.nanoTime();
    long recentMaxGap;
    Status ended;

    @Override public long memberId() { return id; }
    @Override public void admitted(long memberId) { id = memberId; }
    @Override public PublicKey publicKey() { return key; }
    @Override public long lastHeardNanos() { return lastHeard; }
    @Override public long recentMaxGapNanos(long now) { return recentMaxGap; }
    @Override public void send(SeedEvent event) { events.add(event); }
    @Override public void end(Status status) { ended = status; }
  }

  private static ValidJoin join(String ip, int port, FakeStream stream) {
    return new ValidJoin(new InetSocketAddress(ip, port), stream.key, "member", 0);
  }

  private long admit(String ip, int port, FakeStream stream) throws StatusException {
    return registry.join(stream, join(ip, port, stream));
  }

  @Test
  void join_assignsIncreasingIdsAndWelcomesWithAllMembersAndACertificate() throws Exception {
    FakeStream first = new FakeStream();
    FakeStream second = new FakeStream();
    long a = admit("198.18.0.101", 40000, first);
    long b = admit("198.18.0.102", 40001, second);

    assertThat(a).isEqualTo(1_700_000_000_000_000L);
    assertThat(b).isEqualTo(a + 1);
    SeedEvent welcome = second.events.get(0);
    assertThat(welcome.getWelcome().getNodeId()).isEqualTo(b);
    assertThat(welcome.getWelcome().getObserved().getPort()).isEqualTo(40001);
    assertThat(welcome.getWelcome().getMembersList()).extracting(m -> m.getId()).containsExactly(a, b);
    assertThat(welcome.getWelcome().getCertificate().isEmpty()).isFalse();
    // the older member hears about the newer one, after its own welcome
    assertThat(first.events).hasSize(2);
    assertThat(first.events.get(1).getJoined().getMember().getId()).isEqualTo(b);
  }

  @Test
  void ids_areNeverReused_evenByARestartedSeed() throws Exception {
    long a = admit("198.18.0.101", 40000, new FakeStream());
    // a restarted seed (new registry) a moment later: its ids start above the old ones
    millis.addAndGet(1);
    SeedRegistry restarted = new SeedRegistry(CA, Duration.ofMinutes(10), null, new IdAllocator(millis::get),
      new SeedMetrics(new SimpleMeterRegistry()));
    FakeStream stream = new FakeStream();
    long b = restarted.join(stream, join("198.18.0.102", 40001, stream));
    assertThat(b).isGreaterThan(a);
  }

  @Test
  void rejoin_keepsTheOldId_andNewIdsStayAboveIt() throws Exception {
    FakeStream old = new FakeStream();
    long handedOutLastRun = (millis.get() + 60_000) * 1000 + 7; // by a seed whose clock ran a minute ahead
    long rejoined = registry.join(old, new ValidJoin(new InetSocketAddress("198.18.0.101", 40000), old.key,
        "member", handedOutLastRun));
    assertThat(rejoined).isEqualTo(handedOutLastRun);
    assertThat(admit("198.18.0.102", 40001, new FakeStream())).isGreaterThan(rejoined);
  }

  @Test
  void rejoin_withAnIdBeyondTheSeedsClock_isRefused() {
    FakeStream forged = new FakeStream();
    assertThatThrownBy(() -> registry.join(forged, new ValidJoin(new InetSocketAddress("198.18.0.101", 40000),
        forged.key, "member", Long.MAX_VALUE)))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));
    assertThat(registry.size()).isZero();
  }

  @Test
  void join_rejectsASecondNodeBehindTheSameExternalIp() throws Exception {
    long a = admit("198.18.0.101", 40000, new FakeStream());
    FakeStream second = new FakeStream();

    assertThatThrownBy(() -> admit("198.18.0.101", 40999, second))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
          assertThat(e.getStatus().getDescription()).contains("198.18.0.101 is already member " + a);
        });
    assertThat(second.events).isEmpty();
    assertThat(registry.size()).isEqualTo(1);
  }

  @Test
  void leave_tellsTheOthersAndFreesTheAddress() throws Exception {
    FakeStream first = new FakeStream();
    FakeStream second = new FakeStream();
    long a = admit("198.18.0.101", 40000, first);
    admit("198.18.0.102", 40001, second);

    registry.leave(first);
    registry.leave(first); // twice: no second event

    assertThat(second.events).last().satisfies(e -> {
      assertThat(e.getLeft().getId()).isEqualTo(a);
      assertThat(e.getLeft().getReason()).isEqualTo(MemberLeft.Reason.LEFT);
    });
    assertThat(second.events.stream().filter(SeedEvent::hasLeft)).hasSize(1);
    assertThat(admit("198.18.0.101", 40002, new FakeStream())).isGreaterThan(a);
  }

  @Test
  void forward_reachesTheOtherMember_andDropsNonMembers() throws Exception {
    FakeStream first = new FakeStream();
    FakeStream second = new FakeStream();
    long a = admit("198.18.0.101", 40000, first);
    long b = admit("198.18.0.102", 40001, second);

    registry.forwardPrimed(a, b);
    registry.forwardPrimeRequest(b, a);
    registry.forwardPrimed(a, 99);

    assertThat(second.events).last().satisfies(e -> assertThat(e.getPrimed().getPeerId()).isEqualTo(a));
    assertThat(first.events).last().satisfies(e -> assertThat(e.getPrimeRequested().getPeerId()).isEqualTo(b));
  }

  @Test
  void simultaneousOpen_requestAndAnswerReachTheOtherMember_namingTheSender_andABadPortIsDropped()
      throws Exception {
    FakeStream older = new FakeStream();
    FakeStream newer = new FakeStream();
    long a = admit("198.18.0.101", 40000, older);
    long b = admit("198.18.0.102", 40001, newer);
    int olderEvents = older.events.size();
    int newerEvents = newer.events.size();

    registry.forwardSimultaneousOpenRequest(b, a);
    registry.forwardSimultaneousOpen(a, SimultaneousOpen.newBuilder().setPeerId(b).setPort(45123).build());
    registry.forwardSimultaneousOpen(a, SimultaneousOpen.newBuilder().setPeerId(b).setPort(0).build());
    registry.forwardSimultaneousOpen(a, SimultaneousOpen.newBuilder().setPeerId(b).setPort(65536).build());
    registry.forwardSimultaneousOpen(a, SimultaneousOpen.newBuilder().setPeerId(99).setPort(45123).build());

    assertThat(older.events.subList(olderEvents, older.events.size())).singleElement()
        .satisfies(e -> assertThat(e.getSimultaneousOpenRequested().getPeerId()).isEqualTo(b));
    assertThat(newer.events.subList(newerEvents, newer.events.size())).singleElement().satisfies(e -> {
      assertThat(e.getSimultaneousOpen().getPeerId()).isEqualTo(a);
      assertThat(e.getSimultaneousOpen().getPort()).isEqualTo(45123);
    });
  }

  @Test
  void suspect_evictsOnlyAMemberTheSeedDoesNotHearEither() throws Exception {
    FakeStream reporter = new FakeStream();
    FakeStream healthy = new FakeStream();
    FakeStream frozen = new FakeStream();
    admit("198.18.0.101", 40000, reporter);
    long h = admit("198.18.0.102", 40001, healthy);
    long f = admit("198.18.0.103", 40002, frozen);
    long now = System.nanoTime();
    frozen.lastHeard = now - Liveness.SEED_CONFIRMS_AFTER.toNanos();

    registry.suspect(reporter, h, now);
    registry.suspect(reporter, f, now);

    assertThat(registry.isMember(h)).isTrue();
    assertThat(registry.isMember(f)).isFalse();
    assertThat(reporter.events).last().satisfies(e -> {
      assertThat(e.getLeft().getId()).isEqualTo(f);
      assertThat(e.getLeft().getReason()).isEqualTo(MemberLeft.Reason.FAILED);
    });
    // the removed member is told too (it must rejoin if it is alive), and its session ends
    assertThat(frozen.events).last().satisfies(e -> assertThat(e.getLeft().getId()).isEqualTo(f));
    assertThat(frozen.ended.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void suspect_givesAMemberWhoseMessagesCameIrregularlyMoreTime_upToAMaximum() throws Exception {
    FakeStream reporter = new FakeStream();
    FakeStream starved = new FakeStream();
    admit("198.18.0.101", 40000, reporter);
    long s = admit("198.18.0.102", 40001, starved);
    long now = System.nanoTime();
    starved.recentMaxGap = 1_200_000_000L; // its heartbeats lately came up to 1.2 s apart (a starved host)
    starved.lastHeard = now - 2_000_000_000L;

    registry.suspect(reporter, s, now); // 2 s: punctual members are removed by now, this one gets 2.4 s
    assertThat(registry.isMember(s)).isTrue();

    starved.recentMaxGap = 10_000_000_000L; // however irregular, patience ends at SEED_CONFIRMS_AFTER_MAX
    starved.lastHeard = now - Liveness.SEED_CONFIRMS_AFTER_MAX.toNanos();
    registry.suspect(reporter, s, now);
    assertThat(registry.isMember(s)).isFalse();
  }

  @Test
  void suspect_ofAMemberThatIsGone_tellsTheReporter() throws Exception {
    FakeStream reporter = new FakeStream();
    admit("198.18.0.101", 40000, reporter);
    registry.suspect(reporter, 12345, System.nanoTime());
    assertThat(reporter.events).last().satisfies(e -> assertThat(e.getLeft().getId()).isEqualTo(12345));
  }

  @Test
  void tick_heartbeatsEveryMember_andRemovesOneSilentForTooLong() throws Exception {
    FakeStream alive = new FakeStream();
    FakeStream silent = new FakeStream();
    admit("198.18.0.101", 40000, alive);
    long s = admit("198.18.0.102", 40001, silent);
    long now = System.nanoTime();
    silent.lastHeard = now - Liveness.SEED_EVICTS_AFTER.toNanos();

    registry.tick(now);

    assertThat(alive.events).anySatisfy(e -> assertThat(e.hasHeartbeat()).isTrue());
    assertThat(registry.isMember(s)).isFalse();
    assertThat(alive.events).last().satisfies(e -> assertThat(e.getLeft().getId()).isEqualTo(s));
  }

  @Test
  void barrier_isAnnouncedOnceToEveryone_andToLaterMembersInTheirWelcome() throws Exception {
    FakeStream first = new FakeStream();
    admit("198.18.0.101", 40000, first);

    registry.barrierPassed(3);
    registry.barrierPassed(2); // smaller: nothing new

    assertThat(first.events.stream().filter(SeedEvent::hasBarrier)).hasSize(1);
    FakeStream late = new FakeStream();
    admit("198.18.0.102", 40001, late);
    assertThat(late.events.get(0).getWelcome().getBarrierPassed()).isEqualTo(3);
  }

  @Test
  void probe_saysHowLongTheSeedHasNotHeardAMember() throws Exception {
    FakeStream member = new FakeStream();
    long id = admit("198.18.0.101", 40000, member);
    long now = System.nanoTime();
    member.lastHeard = now - 1_500_000_000L;

    assertThat(registry.probe(id, now).getProbe().getSilentMs()).isEqualTo(1500);
    assertThat(Integer.toUnsignedLong(registry.probe(777, now).getProbe().getSilentMs())).isEqualTo(0xFFFF_FFFFL);
  }

  @Test
  void manyMembersSilentAtOnce_isTheSeedsOwnSlowness_andRemovesNobody_untilTheHardLimit() throws Exception {
    FakeStream reporter = new FakeStream();
    FakeStream a = new FakeStream();
    FakeStream b = new FakeStream();
    admit("198.18.0.101", 40000, reporter);
    long idA = admit("198.18.0.102", 40001, a);
    long idB = admit("198.18.0.103", 40002, b);
    long now = System.nanoTime();
    a.lastHeard = now - Liveness.SEED_EVICTS_AFTER.toNanos();
    b.lastHeard = now - Liveness.SEED_EVICTS_AFTER.toNanos();

    registry.suspect(reporter, idA, now);
    registry.tick(now);
    assertThat(registry.isMember(idA)).isTrue();
    assertThat(registry.isMember(idB)).isTrue();

    b.lastHeard = now - Liveness.SEED_EVICTS_ANYWAY_AFTER.toNanos();
    registry.tick(now + 1);
    assertThat(registry.isMember(idB)).isFalse();
  }

  private static LinkStatus up(long peer, int rttMicros) {
    return LinkStatus.newBuilder().setPeerId(peer).setUp(true).setRttUs(rttMicros).setSrttUs(rttMicros)
        .setPath(LinkPath.DIRECT).setPrimesServed(3).build();
  }

  private static LinkReport report(LinkStatus... links) {
    return LinkReport.newBuilder().addAllLinks(List.of(links)).build();
  }

  private static MemberStatus statusOf(ClusterStatus status, long id) {
    return status.getMembersList().stream().filter(m -> m.getMember().getId() == id).findFirst().orElseThrow();
  }

  @Test
  void report_keepsOnlyLinksToOtherCurrentMembers_onePerPeer() throws Exception {
    FakeStream first = new FakeStream();
    long a = admit("198.18.0.101", 40000, first);
    long b = admit("198.18.0.102", 40001, new FakeStream());
    long c = admit("198.18.0.103", 40002, new FakeStream());
    long now = System.nanoTime();

    registry.report(first, report(up(c, 300), up(b, 200), up(b, 999), up(a, 1), up(424242, 1)), now);

    MemberStatus seen = statusOf(registry.clusterStatus(now + 2_000_000_000L), a);
    assertThat(seen.getReported()).isTrue();
    assertThat(seen.getReportAgeMs()).isEqualTo(2000);
    assertThat(seen.getLinksList()).extracting(LinkStatus::getPeerId).containsExactly(b, c);
    assertThat(seen.getLinks(0)).isEqualTo(up(b, 200));
    assertThat(statusOf(registry.clusterStatus(now), b).getReported()).isFalse();
  }

  @Test
  void report_keepsEveryKnownPath_andStoresAnUnknownOneAsUnspecified() throws Exception {
    FakeStream first = new FakeStream();
    long a = admit("198.18.0.101", 40000, first);
    long b = admit("198.18.0.102", 40001, new FakeStream());
    long c = admit("198.18.0.103", 40002, new FakeStream());
    long d = admit("198.18.0.104", 40003, new FakeStream());
    long now = System.nanoTime();

    registry.report(first, report(up(b, 1).toBuilder().setPath(LinkPath.RELAYED).build(),
        up(c, 1).toBuilder().setPath(LinkPath.SIMULTANEOUS_OPEN).build(),
        up(d, 1).toBuilder().setPathValue(77).build()), now);

    assertThat(statusOf(registry.clusterStatus(now), a).getLinksList()).extracting(LinkStatus::getPath)
        .containsExactly(LinkPath.RELAYED, LinkPath.SIMULTANEOUS_OPEN, LinkPath.LINK_PATH_UNSPECIFIED);
  }

  @Test
  void report_tooSoonAfterTheLast_isDropped() throws Exception {
    FakeStream first = new FakeStream();
    admit("198.18.0.101", 40000, first);
    long b = admit("198.18.0.102", 40001, new FakeStream());
    long now = System.nanoTime();
    registry.report(first, report(up(b, 200)), now);

    registry.report(first, report(up(b, 700)), now + SeedRegistry.MIN_REPORT_GAP.toNanos() - 1);
    long keptAfterTooSoon = statusOf(registry.clusterStatus(now), first.id).getLinks(0).getRttUs();
    registry.report(first, report(up(b, 900)), now + SeedRegistry.MIN_REPORT_GAP.toNanos());

    assertThat(keptAfterTooSoon).isEqualTo(200);
    assertThat(statusOf(registry.clusterStatus(now), first.id).getLinks(0).getRttUs()).isEqualTo(900);
    assertThat(metricsRegistry.get("boxer.seed.link.reports").tag("outcome", "dropped").counter().count()).isEqualTo(1);
    assertThat(metricsRegistry.get("boxer.seed.link.reports").tag("outcome", "kept").counter().count()).isEqualTo(2);
  }

  @Test
  void report_goesWithItsMember() throws Exception {
    FakeStream first = new FakeStream();
    FakeStream second = new FakeStream();
    long a = admit("198.18.0.101", 40000, first);
    long b = admit("198.18.0.102", 40001, second);
    registry.report(first, report(up(b, 200)), System.nanoTime());

    registry.leave(first);
    FakeStream again = new FakeStream();
    registry.join(again, new ValidJoin(new InetSocketAddress("198.18.0.101", 40000), again.key, "member", a));

    assertThat(registry.clusterStatus(System.nanoTime()).getMembersList()).extracting(m -> m.getMember().getId())
        .containsExactly(a, b);
    assertThat(statusOf(registry.clusterStatus(System.nanoTime()), a).getReported()).isFalse();
  }

  @Test
  void metrics_countJoinsLeavesRemovalsAndCertificates() throws Exception {
    FakeStream first = new FakeStream();
    admit("198.18.0.101", 40000, first);
    long b = admit("198.18.0.102", 40001, new FakeStream());
    registry.renew(first);

    registry.leave(first);
    registry.evict(b, "test");

    assertThat(metricsRegistry.get("boxer.seed.joins").tag("kind", "new").counter().count()).isEqualTo(2);
    assertThat(metricsRegistry.get("boxer.seed.certificates.issued").counter().count()).isEqualTo(3);
    assertThat(metricsRegistry.get("boxer.seed.leaves").tag("reason", "left").counter().count()).isEqualTo(1);
    assertThat(metricsRegistry.get("boxer.seed.leaves").tag("reason", "failed").counter().count()).isEqualTo(1);
    assertThat(metricsRegistry.get("boxer.seed.members").gauge().value()).isZero();
  }
}
