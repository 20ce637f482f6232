package io.boxer.node.liveness;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.control.Liveness;
import io.boxer.node.membership.Peer;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The detector's judgement over time, with faked links and a clock the test moves. */
class FailureDetectorTest {
  private static final long MS = 1_000_000L;
  private static final Peer SELF = new Peer(1, new InetSocketAddress("198.18.0.101", 7001));
  private static final Peer OTHER = new Peer(2, new InetSocketAddress("198.18.0.102", 7002));
  private static final Peer THIRD = new Peer(3, new InetSocketAddress("198.18.0.103", 7003));
  private static final Peer FOURTH = new Peer(4, new InetSocketAddress("198.18.0.104", 7004));
  private static final List<Peer> MEMBERS = List.of(SELF, OTHER);

  /** Records what the detector asks for; links report when they last heard their peer. */
  private static final class Recorder implements FailureDetector.Actions {
    final Map<Long, Long> heard = new HashMap<>();
    final List<String> actions = new ArrayList<>();

    @Override public Long lastHeard(long id) { return heard.get(id); }
    int witnesses = 1;

    @Override public int probe(long id) { actions.add("probe " + id); return witnesses; }
    @Override public void suspected(Peer peer) { actions.add("suspected " + peer.id()); }
    @Override public void refuted(Peer peer) { actions.add("refuted " + peer.id()); }
    @Override public void dead(Peer peer) { actions.add("dead " + peer.id()); }
    @Override public void linkBroken(Peer peer) { actions.add("linkBroken " + peer.id()); }
  }

  private final Recorder links = new Recorder();
  private final FailureDetector detector = new FailureDetector(1, links);
  private long now = 1_000_000_000L;
  /** What the witnesses a probe asks answer (on the next tick): heard lately, not heard, or nothing. */
  private enum Witnesses { HEAR_IT, DO_NOT_HEAR_IT, SILENT }

  private Witnesses witnesses = Witnesses.DO_NOT_HEAR_IT;

  /** Ticks every 50 ms for {@code millis}; the link hears the peer on each tick while {@code alive}. */
  private void run(long millis, boolean alive) {
    for (long t = 0; t < millis; t += 50) {
      int before = links.actions.size();
      now += 50 * MS;
      if (alive) {
        links.heard.put(2L, now);
      }
      detector.tick(now, now, MEMBERS);
      if (witnesses != Witnesses.SILENT && links.actions.subList(before, links.actions.size()).contains("probe 2")) {
        detector.vouch(2, witnesses == Witnesses.HEAR_IT ? 10 : 5_000, now + MS);
      }
    }
  }

  @Test
  void aMemberThatKeepsTalking_isNeverJudged() {
    run(5_000, true);
    assertThat(links.actions).isEmpty();
    assertThat(detector.isSuspected(2)).isFalse();
  }

  @Test
  void aSilentMember_isProbed_thenSuspected_thenReportedDead_onTheDocumentedSchedule() {
    run(1_000, true);
    long frozenAt = now;

    run(Liveness.PROBE_AFTER_SILENCE.toMillis() + 50, false);
    assertThat(links.actions).containsExactly("probe 2");
    assertThat(detector.isSuspected(2)).isFalse();

    run(Liveness.PROBE_TIMEOUT.toMillis(), false);
    assertThat(links.actions).containsExactly("probe 2", "suspected 2");
    assertThat(detector.isSuspected(2)).isTrue();
    // connects to it fail from here on; one in flight since the freeze has waited this long
    assertThat((now - frozenAt) / MS)
        .isLessThanOrEqualTo(Liveness.PROBE_AFTER_SILENCE.plus(Liveness.PROBE_TIMEOUT).toMillis() + 100);

    run(Liveness.CONFIRM_AFTER_SUSPECT.toMillis(), false);
    assertThat(links.actions).containsExactly("probe 2", "suspected 2", "dead 2");
    assertThat((now - frozenAt) / MS).isLessThan(3_000);

    run(FailureDetector.REPORT_AGAIN_NANOS / MS + 50, false);
    assertThat(links.actions).endsWith("dead 2", "dead 2"); // reported again while nobody removes it
  }

  @Test
  void aSilentLink_whoseMemberOthersHear_suspectsNobody_andIsDroppedForRepairWhenItStaysSilent() {
    run(1_000, true);
    witnesses = Witnesses.HEAR_IT; // only our link is broken

    run(Liveness.PROBE_AFTER_SILENCE.toMillis() + Liveness.PROBE_TIMEOUT.toMillis() * 2, false);
    assertThat(links.actions).contains("probe 2");
    assertThat(detector.isSuspected(2)).isFalse();

    run(5_000, false); // it stays vouched for, its link stays silent
    assertThat(links.actions).contains("linkBroken 2").doesNotContain("suspected 2", "dead 2");
  }

  @Test
  void witnessesThatDoNotAnswer_delaySuspicion_asOnAHostTooLoadedToAnswer() {
    run(1_000, true);
    witnesses = Witnesses.SILENT;

    run(Liveness.PROBE_AFTER_SILENCE.toMillis() + Liveness.PROBE_TIMEOUT.toMillis() + 100, false);
    assertThat(detector.isSuspected(2)).isFalse();

    run(Liveness.PROBE_WAIT_MAX.toMillis(), false);
    assertThat(detector.isSuspected(2)).isTrue();
  }

  @Test
  void withNobodyToAsk_silenceAloneSuspects() {
    links.witnesses = 0;
    witnesses = Witnesses.SILENT;
    run(1_000, true);

    run(Liveness.PROBE_AFTER_SILENCE.toMillis() + Liveness.PROBE_TIMEOUT.toMillis() + 100, false);

    assertThat(detector.isSuspected(2)).isTrue();
  }

  @Test
  void aSuspectThatSpeaksAgain_isRefuted() {
    run(1_000, true);
    run(Liveness.PROBE_AFTER_SILENCE.toMillis() + Liveness.PROBE_TIMEOUT.toMillis() + 100, false);
    assertThat(detector.isSuspected(2)).isTrue();

    run(100, true);

    assertThat(detector.isSuspected(2)).isFalse();
    assertThat(links.actions).contains("refuted 2").doesNotContain("dead 2");
  }

  @Test
  void aPauseOfThisNodeItself_judgesNobody() {
    run(1_000, true);
    long due = now + 50 * MS;
    now += 5_000 * MS; // this process was frozen: nothing was read meanwhile
    detector.tick(now, due, MEMBERS);
    run(100, true); // the frames that waited are read now

    assertThat(links.actions).isEmpty();
  }

  @Test
  void whileEveryoneTalks_theNextTickIsDue_whenTheFirstMemberCouldHaveFallenSilent() {
    run(1_000, true);
    long heard = now;
    now += 10 * MS;

    assertThat(detector.tick(now, now, MEMBERS)).isEqualTo(heard + Liveness.PROBE_AFTER_SILENCE.toNanos());
  }

  @Test
  void tickedOnlyWhenItAsks_aFrozenMemberIsJudgedOnTheSameSchedule_withATenthOfTheTicks() {
    long beat = Liveness.HEARTBEAT_INTERVAL.toNanos();
    long start = now;
    long frozenAt = start + 3_000 * MS;
    Map<String, Long> when = new HashMap<>();
    int ticksWhileTalking = 0;
    long next = now;
    while (now - frozenAt < 3_000 * MS) {
      // as the node does: when asked, but at least every heartbeat interval and at most every 50 ms
      now += Math.min(Math.max(next - now, FailureDetector.JUDGE_EVERY_NANOS), beat);
      links.heard.put(2L, start + (Math.min(now, frozenAt) - start) / beat * beat); // its heartbeats, then none
      int before = links.actions.size();
      next = detector.tick(now, now, MEMBERS);
      if (now - frozenAt < 0) {
        ticksWhileTalking++;
      }
      for (String action : links.actions.subList(before, links.actions.size())) {
        when.putIfAbsent(action, now - frozenAt);
        if (action.equals("probe 2")) {
          detector.vouch(2, 5_000, now + MS); // the witnesses do not hear it either
        }
      }
    }

    assertThat(ticksWhileTalking).isLessThanOrEqualTo(7); // 3 s: every 500 ms, not every 50 ms (60 ticks)
    assertThat(when.get("probe 2")).isBetween(Liveness.PROBE_AFTER_SILENCE.toNanos(),
        Liveness.PROBE_AFTER_SILENCE.toNanos() + 50 * MS);
    assertThat(when.get("suspected 2") - when.get("probe 2")).isBetween(Liveness.PROBE_TIMEOUT.toNanos(),
        Liveness.PROBE_TIMEOUT.toNanos() + 50 * MS);
    assertThat(when.get("dead 2") - when.get("suspected 2")).isBetween(Liveness.CONFIRM_AFTER_SUSPECT.toNanos(),
        Liveness.CONFIRM_AFTER_SUSPECT.toNanos() + 50 * MS);
  }

  @Test
  void membersNeverLinked_areNotJudged_andLeftMembersAreForgotten() {
    run(5_000, false); // never heard: the mesh is still forming
    assertThat(links.actions).isEmpty();

    run(1_000, true);
    run(2_000, false);
    assertThat(detector.isSuspected(2)).isTrue();
    detector.tick(now, now, List.of(SELF)); // it left
    assertThat(detector.isSuspected(2)).isFalse();
  }

  @Test
  void mostLinksFallingSilentAtOnce_judgesNobody_oneOfThemJudgesIt() {
    List<Peer> four = List.of(SELF, OTHER, THIRD, FOURTH);
    for (int t = 0; t < 20; t++) { // all linked and talking
      now += 50 * MS;
      links.heard.put(2L, now);
      links.heard.put(3L, now);
      links.heard.put(4L, now);
      detector.tick(now, now, four);
    }
    for (int t = 0; t < 60; t++) { // 2 and 3 fall silent with 4 still talking: this node is starved or cut off
      now += 50 * MS;
      links.heard.put(4L, now);
      detector.tick(now, now, four);
    }
    assertThat(links.actions).isEmpty();

    for (int t = 0; t < 60; t++) { // only 2 silent: a member that froze
      now += 50 * MS;
      links.heard.put(3L, now);
      links.heard.put(4L, now);
      detector.tick(now, now, four);
    }
    assertThat(links.actions).contains("probe 2", "suspected 2").noneMatch(a -> a.endsWith(" 3") || a.endsWith(" 4"));
  }

  @Test
  void aMemberWhoseFramesCameIrregularly_isGivenMoreTimeBeforeTheProbes() {
    for (int t = 1; t <= 120; t++) { // 6 s of frames 1.2 s apart: a starved host
      now += 50 * MS;
      if (t % 24 == 0) {
        links.heard.put(2L, now);
      }
      detector.tick(now, now, MEMBERS);
    }
    assertThat(links.actions).isEmpty();
    long lastFrame = links.heard.get(2L);
    while (!links.actions.contains("probe 2") && now - lastFrame < 5_000 * MS) {
      now += 50 * MS;
      detector.tick(now, now, MEMBERS);
    }
    // twice its longest gap instead of PROBE_AFTER_SILENCE
    assertThat((now - lastFrame) / MS).isBetween(2_400L, 2_450L);
  }

  @Test
  void aClosedLink_doesNotCountAsSilence_soAFreezeBesideItIsStillJudged() {
    List<Peer> four = List.of(SELF, OTHER, THIRD, FOURTH);
    for (int t = 0; t < 20; t++) {
      now += 50 * MS;
      links.heard.put(2L, now);
      links.heard.put(3L, now);
      links.heard.put(4L, now);
      detector.tick(now, now, four);
    }
    links.heard.remove(3L); // the link to 3 closed and waits for its repair
    for (int t = 0; t < 60; t++) { // 2 froze, 4 talks; nobody answers the probe, so it waits PROBE_WAIT_MAX
      now += 50 * MS;
      links.heard.put(4L, now);
      detector.tick(now, now, four);
    }
    assertThat(detector.isSuspected(2)).isTrue();
  }
}
