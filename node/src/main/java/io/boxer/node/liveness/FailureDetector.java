package io.boxer.node.liveness;

import io.boxer.control.ArrivalGaps;
import io.boxer.control.Liveness;
import io.boxer.node.membership.Peer;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's view of which members are alive, from the silence of their links (see {@link Liveness} for the
 * protocol and its timings). A member goes ALIVE → PROBING (its link is silent; others are asked) →
 * SUSPECTED (nobody vouched for it: connects to it fail at once) → reported dead (to the seed, or removed here
 * when there is no seed). Any frame from it, or a witness that heard it recently, brings it back to ALIVE.
 * Members never linked yet are not judged (the mesh is still forming; the seed watches them).
 *
 * <p>When several links and most of them fall silent at once, this node judges nobody: it is more likely
 * starved of CPU or cut off itself (see {@link Liveness}). A member whose frames lately came irregularly is
 * given more time before the probes ({@link Liveness#toleratedSilenceNanos}).
 *
 * <p>A timer: {@link #tick(long, long, Collection)} runs on the node's events thread with the current
 * {@link System#nanoTime()}, as do {@link #vouch}; {@link #isSuspected} may be read from any thread. The tick
 * says when it next needs to run: while everyone talks, not before the first member could have been silent
 * long enough to be probed (an idle node wakes twice a second, not twenty times), every {@link #JUDGE_EVERY_NANOS}
 * while a member is being probed or is suspected.
 */
public final class FailureDetector {
  /** What the detector makes happen; implemented by the node, faked in tests. */
  public interface Actions {
    /** When a frame from member {@code id} last arrived on its link, or null if there is no open link. */
    Long lastHeard(long id);

    /**
     * Asks up to {@link Liveness#INDIRECT_PROBES} other members, and the seed, about member {@code id}; returns
     * how many were asked (0: nobody to ask).
     */
    int probe(long id);

    /** Nobody vouched for {@code peer}: fail what waits for it. */
    void suspected(Peer peer);

    /** {@code peer} was suspected and turned out alive. */
    void refuted(Peer peer);

    /** {@code peer} stayed silent: report it to the seed, or remove it if there is no seed. */
    void dead(Peer peer);

    /** {@code peer}'s link is silent but others hear it: drop our link so it gets repaired. */
    void linkBroken(Peer peer);
  }

  /** How often the detector judges while a member is being probed or is suspected. */
  public static final long JUDGE_EVERY_NANOS = 50_000_000L;
  /** A tick this late means this node itself was paused (GC, a frozen sandbox): judge nobody this time. */
  static final long SELF_PAUSE_NANOS = Liveness.SELF_PAUSE.toNanos();
  /**
   * A link silent this long while others hear its member is broken and gets dropped for repair. Long: TCP
   * itself recovers a link that loses a few segments in a row (retransmissions after 0.2, 0.6, 1.4, 3 s).
   */
  static final long LINK_BROKEN_AFTER_NANOS = 5_000_000_000L;
  /** A member reported dead but not removed is reported again after this long (the seed may not agree yet). */
  static final long REPORT_AGAIN_NANOS = 300_000_000L;

  private enum State { ALIVE, PROBING, SUSPECTED }

  /** Times are {@link System#nanoTime()} values, compared by difference only (they may be negative). */
  private static final class Health {
    State state = State.ALIVE;
    boolean linked;
    long lastHeard;
    long since;
    long vouchedAt;
    long deniedAt;
    int witnesses;
    long nextProbe;
    long nextReport;
    ArrivalGaps gaps;

    Health(long now) {
      lastHeard = now;
      since = now;
      vouchedAt = now - 3_600_000_000_000L; // "long ago", without overflow
      deniedAt = vouchedAt;
      nextProbe = now;
      nextReport = now;
    }
  }

  private final Actions actions;
  private final long selfId;
  private final Map<Long, Health> health = new HashMap<>();
  private final Set<Long> suspected = ConcurrentHashMap.newKeySet();

  public FailureDetector(long selfId, Actions actions) {
    this.selfId = selfId;
    this.actions = actions;
  }

  /** Whether member {@code id} is suspected now (connects to it fail at once). Any thread. */
  public boolean isSuspected(long id) {
    return suspected.contains(id);
  }

  /**
   * Forgets everything judged so far: after this node rejoined, its old links are gone and the members are
   * judged again once linked anew.
   */
  public void reset() {
    health.clear();
    suspected.clear();
  }

  /**
   * A witness (another member or the seed) answered that it last heard member {@code id}
   * {@code silentMillis} ago: recently enough vouches for it, longer ago confirms the silence.
   */
  public void vouch(long id, long silentMillis, long now) {
    Health h = health.get(id);
    if (h == null) {
      return;
    }
    if (silentMillis < Liveness.VOUCH_WITHIN.toMillis()) {
      h.vouchedAt = now;
    } else {
      h.deniedAt = now;
    }
  }

  /**
   * One round of judgement over {@code members} (this node included, which is skipped), at {@code now}, for a
   * tick that was due at {@code dueAt} (much later than due: this node itself was paused).
   *
   * @return when the next tick is needed at the latest (a {@link System#nanoTime()} value)
   */
  public long tick(long now, long dueAt, Collection<Peer> members) {
    boolean paused = now - dueAt > SELF_PAUSE_NANOS || mostLinksSilent(now, members);
    // nobody linked and talking: a link that opens hears its member from then on, silent at the earliest after this
    long next = now + Liveness.PROBE_AFTER_SILENCE.toNanos();
    Set<Long> current = new HashSet<>();
    for (Peer peer : members) {
      if (peer.id() == selfId) {
        continue;
      }
      current.add(peer.id());
      Health h = health.computeIfAbsent(peer.id(), id -> new Health(now));
      Long heard = actions.lastHeard(peer.id());
      if (heard != null) {
        if (!h.linked) {
          h.gaps = new ArrivalGaps(heard);
        } else if (heard - h.lastHeard > 0) {
          h.gaps.arrived(heard);
        }
        h.lastHeard = h.linked ? Math.max(h.lastHeard, heard) : heard;
        h.linked = true;
      }
      if (paused) {
        // frames that arrived while we were paused are not read yet: start every silence from now
        h.lastHeard = Math.max(h.lastHeard, now - Liveness.HEARTBEAT_INTERVAL.toNanos());
      } else if (h.linked) {
        judge(peer, h, now);
      }
      if (h.linked) {
        next = earlier(next, nextJudgement(h, now));
      }
    }
    health.keySet().retainAll(current);
    suspected.retainAll(current);
    return next;
  }

  /**
   * When {@code h} next needs judging: soon while probed or suspected; else once it could have been silent for
   * {@link Liveness#PROBE_AFTER_SILENCE} (the least its tolerated silence can be) and may be probed again.
   */
  private static long nextJudgement(Health h, long now) {
    if (h.state != State.ALIVE) {
      return now + JUDGE_EVERY_NANOS;
    }
    return later(h.lastHeard + Liveness.PROBE_AFTER_SILENCE.toNanos(), h.nextProbe);
  }

  private static long earlier(long a, long b) {
    return a - b <= 0 ? a : b;
  }

  private static long later(long a, long b) {
    return a - b >= 0 ? a : b;
  }

  /**
   * Whether several of this node's links, and most of them, are silent at once: then this node is more likely
   * starved of CPU or cut off than its peers all dead, and it judges nobody (as after a pause).
   */
  private boolean mostLinksSilent(long now, Collection<Peer> members) {
    int linked = 0;
    int silent = 0;
    for (Peer peer : members) {
      Long heard = peer.id() == selfId ? null : actions.lastHeard(peer.id());
      if (heard == null) {
        continue; // no open link (never linked, or closed and being repaired): says nothing about this node
      }
      linked++;
      if (now - heard >= Liveness.PROBE_AFTER_SILENCE.toNanos()) {
        silent++;
      }
    }
    return silent >= 2 && silent * 2 > linked;
  }

  private void judge(Peer peer, Health h, long now) {
    long silence = now - h.lastHeard;
    // a member whose frames lately came late now and then (a starved host) gets more time before the probes
    boolean silent = silence >= Liveness.toleratedSilenceNanos(Liveness.PROBE_AFTER_SILENCE,
        h.gaps.recentMaxGapNanos(now), Liveness.PROBE_AFTER_SILENCE_MAX);
    switch (h.state) {
      case ALIVE -> {
        if (silent && now - h.nextProbe >= 0) {
          h.state = State.PROBING;
          h.since = now;
          h.witnesses = actions.probe(peer.id());
        }
      }
      case PROBING -> {
        long probing = now - h.since;
        if (!silent) {
          h.state = State.ALIVE;
        } else if (h.vouchedAt - h.since >= 0) {
          // others hear it: only our link is slow or broken; probe again later, repair a dead link
          h.state = State.ALIVE;
          h.nextProbe = now + Liveness.PROBE_AFTER_SILENCE.toNanos();
          if (silence >= LINK_BROKEN_AFTER_NANOS) {
            actions.linkBroken(peer);
          }
        } else if (probing >= Liveness.PROBE_TIMEOUT.toNanos()
            && (h.deniedAt - h.since >= 0 || h.witnesses == 0 || probing >= Liveness.PROBE_WAIT_MAX.toNanos())) {
          // a witness confirmed the silence, or there is nobody to ask, or nobody answered for long: a loaded
          // host answers late, so no answer alone waits longer than a "not heard"
          h.state = State.SUSPECTED;
          h.since = now;
          suspected.add(peer.id());
          actions.suspected(peer);
        }
      }
      case SUSPECTED -> {
        if (!silent || h.vouchedAt - h.since >= 0) {
          h.state = State.ALIVE;
          suspected.remove(peer.id());
          actions.refuted(peer);
        } else if (now - h.since >= Liveness.CONFIRM_AFTER_SUSPECT.toNanos() && now - h.nextReport >= 0) {
          h.nextReport = now + REPORT_AGAIN_NANOS;
          actions.dead(peer);
        }
      }
    }
  }
}
