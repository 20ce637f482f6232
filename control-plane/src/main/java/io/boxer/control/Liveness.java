package io.boxer.control;

import java.time.Duration;

/**
 * How members and the seed tell a live member from a frozen, crashed or unreachable one (SWIM-style, as in
 * hashicorp/memberlist, with the seed as one more witness). Every control stream carries a heartbeat each
 * {@link #HEARTBEAT_INTERVAL} in both directions, so silence means trouble:
 *
 * <ol>
 *   <li>A member's link silent for {@link #PROBE_AFTER_SILENCE}: ask up to {@link #INDIRECT_PROBES} other
 *       members and the seed when they last heard from it (indirect probes).
 *   <li>Somebody heard it within {@link #VOUCH_WITHIN}: it is alive, only this link is slow or broken.
 *       A witness answered that it did not either (after at least {@link #PROBE_TIMEOUT}, for the others to
 *       vouch), or nobody answered within {@link #PROBE_WAIT_MAX}: it is <i>suspected</i>, and connects to it
 *       fail at once. A host so loaded that its witnesses answer late thus waits for them instead of
 *       suspecting everyone.
 *   <li>Still silent {@link #CONFIRM_AFTER_SUSPECT} later: dead. The member reports it to the seed, which
 *       removes it for everyone if it has not heard from it for {@link #SEED_CONFIRMS_AFTER} either (one bad
 *       link never evicts a healthy member). Without a seed, each member removes it itself.
 * </ol>
 *
 * <p>Silence of many at once is not taken for many deaths (after Lifeguard, the SWIM extension in
 * hashicorp/memberlist): a node that finds most of its links silent judges nobody, since it is more likely
 * itself starved of CPU or cut off; the seed removes nobody while more than a quarter of the members are
 * silent, except after {@link #SEED_EVICTS_ANYWAY_AFTER}. And a member whose frames lately came irregularly
 * (its host starved, as when many JVMs start on few cores, or its path lossy) is given more time: silence
 * counts only from {@link #GAP_TOLERANCE} times its longest gap of the last {@link #GAP_MEMORY}, up to
 * {@link #PROBE_AFTER_SILENCE_MAX} on a link and {@link #SEED_CONFIRMS_AFTER_MAX} at the seed.
 *
 * <p>The numbers. A member whose heartbeats were punctual and then stop (frozen) is removed about 1.8 s after
 * it froze, a connect in flight to it fails when it is suspected (~1.3 s), and later connects fail at once
 * (FailureIT, docs/reliability.md). The interval sets the idle cost, since a member has a link to every other
 * and each heartbeat costs both ends gRPC, HTTP/2 and TLS work: at half a second an idle member uses 2.5-4% of
 * a core with 8 or 16 members (docs/measurements.md, "What security costs").
 *
 * <p>Vouching takes a witness that heard the member within less than the silence that starts the probes minus
 * one interval: a member's heartbeats leave on all its links at once, so a witness of a frozen member has
 * been waiting about as long as the prober. Linux retransmits a lost TCP segment after ~200 ms (sooner with
 * tail loss probes) and again after ~600 ms, so 5% random loss rarely silences a link for 1.2 s, and the
 * indirect probes travel other paths, which would have to stall at the same time to suspect a live member.
 */
public final class Liveness {
  public static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(500);
  public static final Duration PROBE_AFTER_SILENCE = Duration.ofMillis(1200);
  public static final Duration VOUCH_WITHIN = Duration.ofMillis(800);
  public static final Duration PROBE_TIMEOUT = Duration.ofMillis(200);
  /** With nobody answering the probes at all (a host too loaded to answer), wait this long before suspecting. */
  public static final Duration PROBE_WAIT_MAX = Duration.ofMillis(1500);
  public static final Duration CONFIRM_AFTER_SUSPECT = Duration.ofMillis(500);
  public static final int INDIRECT_PROBES = 3;
  /** The seed accepts a member's report that another is dead once it has not heard from it this long. */
  public static final Duration SEED_CONFIRMS_AFTER = Duration.ofMillis(1500);
  /**
   * The seed removes a member it has not heard from this long even if no member reported it (a member with
   * no links to judge it); members' reports remove a frozen member much sooner.
   */
  public static final Duration SEED_EVICTS_AFTER = Duration.ofSeconds(5);
  /**
   * While many members are silent at once (the seed, its host or the network being slow) the seed removes
   * none, unless one has been silent this long.
   */
  public static final Duration SEED_EVICTS_ANYWAY_AFTER = Duration.ofSeconds(15);
  /** A node that has not heard from the seed this long drops the session and reconnects. */
  public static final Duration SEED_LOST_AFTER = Duration.ofSeconds(10);
  /** A timer that fires this much later than due means its own process was paused: it judges nobody then. */
  public static final Duration SELF_PAUSE = Duration.ofMillis(300);
  /** How long the longest recent gap between a member's frames is remembered (see {@link ArrivalGaps}). */
  public static final Duration GAP_MEMORY = Duration.ofSeconds(20);
  /** A member's silence counts only once it is this many times its longest recent gap between frames. */
  public static final int GAP_TOLERANCE = 2;
  /** The most that irregular heartbeats stretch {@link #PROBE_AFTER_SILENCE} to. */
  public static final Duration PROBE_AFTER_SILENCE_MAX = Duration.ofSeconds(3);
  /** The most that irregular heartbeats stretch {@link #SEED_CONFIRMS_AFTER} to. */
  public static final Duration SEED_CONFIRMS_AFTER_MAX = Duration.ofSeconds(4);

  /**
   * Milliseconds from {@code nowMillis} (wall clock) to the next multiple of {@link #HEARTBEAT_INTERVAL}: members
   * and the seed send their heartbeats on those beats, so that a member's heartbeats out and its peers' and the
   * seed's in come in one burst, which its transport threads serve in one wake-up rather than one each (an idle
   * member's CPU is mostly wake-ups: docs/measurements.md, "An idle node"). Clocks a few milliseconds apart only
   * spread the burst.
   */
  public static long millisToNextBeat(long nowMillis) {
    long interval = HEARTBEAT_INTERVAL.toMillis();
    return interval - Math.floorMod(nowMillis, interval);
  }

  /**
   * The silence that counts for a member whose frames lately arrived up to {@code recentMaxGapNanos} apart:
   * {@code base} for a punctual member, {@link #GAP_TOLERANCE} times that gap for an irregular one, at most
   * {@code max}.
   */
  public static long toleratedSilenceNanos(Duration base, long recentMaxGapNanos, Duration max) {
    return Math.min(max.toNanos(), Math.max(base.toNanos(), GAP_TOLERANCE * recentMaxGapNanos));
  }

  private Liveness() {}
}
