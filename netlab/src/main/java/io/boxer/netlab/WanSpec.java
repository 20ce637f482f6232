package io.boxer.netlab;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lab's WAN: the round trip added between any two hosts on the public segment's two sides, its jitter,
 * and the rate cap of every function's link (docs/wan.md). The kernel here has no netem, so the delay is a
 * userspace delayer ({@code io.boxer.netlab.wan.WanDelayer}) behind NFQUEUE rules; the cap is {@code tbf}.
 *
 * <p>Every packet that crosses the public segment is delayed once, by {@code rtt / 2}, on the sending side's
 * link to it (the seed's and each VM's {@code eth0}, each router's {@code wan}); so function↔function,
 * function↔VM, VM↔VM and anything↔seed all get {@code rtt} added to their round trip.
 *
 * <p>Invariants (checked by the constructor): {@code rtt} is 0 (no delay, no delayer) or a whole number of
 * microseconds in {@code 2 us..}{@link #MAX_RTT}; {@code jitter} is a whole number of microseconds in
 * {@code 0..rtt/2}: each one-way delay is drawn uniformly from {@code [rtt/2 - jitter, rtt/2 + jitter]}, and a
 * packet never overtakes the one ahead of it on its link; {@code rateMbit} is 0 (no cap) or in {@code 1..}
 * {@value #MAX_RATE_MBIT}: every function's link is capped at that rate in each direction (its {@code eth0}
 * up, its router's {@code lanK} down). VMs and the seed are never capped. Immutable.
 *
 * @param rtt round trip added across the public segment; {@link Duration#ZERO} for none
 * @param jitter half the width of the uniform spread of each one-way delay; {@link Duration#ZERO} for none
 * @param rateMbit cap of each function's link in Mbit/s, each direction; 0 for none
 */
public record WanSpec(Duration rtt, Duration jitter, int rateMbit) {
  /** Upper bound of {@link #rtt()}: a cross-continent round trip, more than a datacenter lab needs. */
  public static final Duration MAX_RTT = Duration.ofMillis(200);
  /** Upper bound of {@link #rateMbit()}: 100 Gbit/s. */
  public static final int MAX_RATE_MBIT = 100_000;
  /** AWS Lambda's measured throughput per function, about 620 Mbit/s (the paper, Table 1). */
  public static final int LAMBDA_RATE_MBIT = 620;

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(us|ms|s)?");
  // after the bounds: the constructor reads them
  /** No delay and no cap: the lab as it always was (no delayer, no rule, no qdisc). */
  public static final WanSpec NONE = new WanSpec(Duration.ZERO, Duration.ZERO, 0);

  /** Validates every field; see the class invariants. */
  public WanSpec {
    Objects.requireNonNull(rtt, "rtt : null (expected: a duration, 0 for none)");
    Objects.requireNonNull(jitter, "jitter : null (expected: a duration, 0 for none)");
    if (rtt.isNegative() || rtt.compareTo(MAX_RTT) > 0 || rtt.toNanos() % 1000 != 0
        || (!rtt.isZero() && rtt.toNanos() < 2000)) {
      throw new IllegalArgumentException("rtt : " + format(rtt) + " (expected: 0 for none, or 2us.." + format(MAX_RTT)
          + " in whole microseconds)");
    }
    if (jitter.isNegative() || jitter.toNanos() % 1000 != 0 || jitter.compareTo(rtt.dividedBy(2)) > 0) {
      throw new IllegalArgumentException("jitter : " + format(jitter) + " (expected: 0.." + format(rtt.dividedBy(2))
          + " in whole microseconds, at most half the rtt, so no one-way delay is negative)");
    }
    if (rateMbit < 0 || rateMbit > MAX_RATE_MBIT) {
      throw new IllegalArgumentException("rateMbit : " + rateMbit + " (expected: 0 for none, or 1.." + MAX_RATE_MBIT
          + ")");
    }
  }

  /** Whether packets crossing the public segment are delayed (and so whether the lab runs a delayer). */
  public boolean delays() {
    return !rtt.isZero();
  }

  /** The delay each packet gets where it enters the public segment, in microseconds: half the rtt. */
  public long oneWayMicros() {
    return rtt.toNanos() / 2000;
  }

  /** {@link #jitter()} in microseconds. */
  public long jitterMicros() {
    return jitter.toNanos() / 1000;
  }

  /**
   * Parses a duration as the CLI takes it: a number with an optional unit {@code us}, {@code ms} (the default)
   * or {@code s}, e.g. {@code 0.5ms}, {@code 500us}, {@code 2}; {@code 0} is zero.
   *
   * @throws IllegalArgumentException naming the accepted forms
   */
  public static Duration parseDuration(String text) {
    Matcher m = DURATION.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new IllegalArgumentException("duration : " + text + " (expected: a number with a unit us, ms or s, "
          + "e.g. 0.5ms or 500us)");
    }
    String unit = m.group(2) == null ? "ms" : m.group(2);
    double nanosPerUnit = switch (unit) {
      case "us" -> 1e3;
      case "s" -> 1e9;
      default -> 1e6;
    };
    return Duration.ofNanos(Math.round(Double.parseDouble(m.group(1)) * nanosPerUnit));
  }

  /** A duration as the CLI writes it: whole microseconds below a millisecond, else milliseconds. */
  public static String format(Duration d) {
    long nanos = d.toNanos();
    if (nanos % 1_000_000 == 0) {
      return nanos / 1_000_000 + "ms";
    }
    if (nanos % 1000 == 0 && nanos < 1_000_000) {
      return nanos / 1000 + "us";
    }
    return String.format(Locale.ROOT, "%.6fms", nanos / 1e6).replaceAll("0+ms$", "ms");
  }
}
