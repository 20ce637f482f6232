package io.boxer.netlab;

import io.boxer.netlab.wan.WanDelayer;
import java.util.ArrayList;
import java.util.List;

/**
 * The commands that put a {@link WanSpec} on a lab's links, as argument lists. Pure: builds lists, runs
 * nothing, so the exact rules are unit-testable. Immutable and thread-safe.
 *
 * <ul>
 *   <li>Delay: in a namespace whose interface faces the public segment, every packet leaving through it is
 *       queued to NFQUEUE {@value WanDelayer#QUEUE} in {@code mangle POSTROUTING} (after routing, before the
 *       routers' SNAT), where the delayer holds it for the one-way delay. No {@code --queue-bypass}: if the
 *       delayer is gone, the WAN is down, visibly, rather than silently fast.</li>
 *   <li>Rate cap: a {@code tbf} root qdisc on an interface's egress, with a burst of one millisecond at the
 *       rate (at least {@value #MIN_BURST_BYTES} bytes: tbf splits a GSO packet larger than its burst into
 *       MTU-sized ones, which costs CPU, and drops a packet larger than one) and {@value #QUEUE_LATENCY_MILLIS} ms of queue, as a link buffer.</li>
 * </ul>
 */
final class WanRules {
  static final int MIN_BURST_BYTES = 16 * 1024;
  static final int QUEUE_LATENCY_MILLIS = 10;

  private final WanSpec wan;
  private final LabTools tools;

  WanRules(WanSpec wan, LabTools tools) {
    this.wan = wan;
    this.tools = tools;
  }

  /** The commands to run inside a namespace whose {@code ifName} faces the public segment; none without delay. */
  List<List<String>> delay(String ifName) {
    if (!wan.delays()) {
      return List.of();
    }
    return List.of(List.of(tools.iptables(), "-t", "mangle", "-A", "POSTROUTING", "-o", ifName,
        "-j", "NFQUEUE", "--queue-num", Integer.toString(WanDelayer.QUEUE)));
  }

  /** The command that caps {@code ifName}'s egress in {@code namespace}; none without a cap. */
  List<List<String>> rateCap(String namespace, String ifName) {
    if (wan.rateMbit() == 0) {
      return List.of();
    }
    List<String> c = new ArrayList<>(List.of(tools.tc(), "-n", namespace, "qdisc", "add", "dev", ifName,
        "root", "tbf", "rate", wan.rateMbit() + "mbit", "burst", Integer.toString(burstBytes(wan.rateMbit())),
        "latency", QUEUE_LATENCY_MILLIS + "ms"));
    return List.of(c);
  }

  /** Bytes of burst for {@code rateMbit}: one millisecond's worth, at least {@link #MIN_BURST_BYTES}. */
  static int burstBytes(int rateMbit) {
    long perMillisecond = (long) rateMbit * 1_000_000 / 8 / 1000;
    return (int) Math.max(MIN_BURST_BYTES, perMillisecond);
  }
}
