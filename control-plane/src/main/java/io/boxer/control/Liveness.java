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
 * A frozen member is thus suspected 0.7 to 0.9 s and removed about 1.5 to 2 s after it froze
 * (docs/reliability.md).
 * Linux retransmits a lost TCP segment after ~200 ms (sooner with tail loss probes) and again after ~600 ms,
 * so 5% random loss needs two losses of one heartbeat in a row to start the probes, and the indirect probes
 * travel other paths, which would have to stall at the same time to suspect a live member.
 */
public final class Liveness {
  public static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(200);
  public static final Duration PROBE_AFTER_SILENCE = Duration.ofMillis(500);
  public static final Duration VOUCH_WITHIN = Duration.ofMillis(400);
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
  /** A node that has not heard from the seed this long drops the session and reconnects. */
  public static final Duration SEED_LOST_AFTER = Duration.ofSeconds(3);
  /** A timer that fires this late means its own process was paused: it judges nobody this time. */
  public static final Duration SELF_PAUSE = Duration.ofMillis(300);
  /** "Never heard": the silence reported for a member one has no link to. */
  public static final int NEVER_MS = -1; // as uint32: 4294967295

  private Liveness() {}
}
