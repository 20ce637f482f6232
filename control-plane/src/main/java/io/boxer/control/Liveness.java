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
 *       Nobody did within {@link #PROBE_TIMEOUT}: it is <i>suspected</i>, and connects to it fail at once.
 *   <li>Still silent {@link #CONFIRM_AFTER_SUSPECT} later: dead. The member reports it to the seed, which
 *       removes it for everyone if it has not heard from it for {@link #SEED_CONFIRMS_AFTER} either (one bad
 *       link never evicts a healthy member). Without a seed, each member removes it itself.
 * </ol>
 *
 * A frozen member is thus suspected 0.7 to 0.9 s and removed ~1.5 s after it froze (docs/reliability.md).
 * Linux retransmits a lost TCP segment after ~200 ms (sooner with tail loss probes) and again after ~600 ms,
 * so 5% random loss needs two losses of one heartbeat in a row to start the probes, and the indirect probes
 * travel other paths, which would have to stall at the same time to suspect a live member.
 */
public final class Liveness {
  public static final Duration HEARTBEAT_INTERVAL = Duration.ofMillis(200);
  public static final Duration PROBE_AFTER_SILENCE = Duration.ofMillis(500);
  public static final Duration VOUCH_WITHIN = Duration.ofMillis(400);
  public static final Duration PROBE_TIMEOUT = Duration.ofMillis(200);
  public static final Duration CONFIRM_AFTER_SUSPECT = Duration.ofMillis(500);
  public static final int INDIRECT_PROBES = 3;
  /** The seed accepts a member's report that another is dead once it has not heard from it this long. */
  public static final Duration SEED_CONFIRMS_AFTER = Duration.ofMillis(600);
  /** The seed removes a member it has not heard from this long even if no member reported it. */
  public static final Duration SEED_EVICTS_AFTER = Duration.ofMillis(2500);
  /** A node that has not heard from the seed this long drops the session and reconnects. */
  public static final Duration SEED_LOST_AFTER = Duration.ofMillis(1500);
  /** "Never heard": the silence reported for a member one has no link to. */
  public static final int NEVER_MS = -1; // as uint32: 4294967295

  private Liveness() {}
}
