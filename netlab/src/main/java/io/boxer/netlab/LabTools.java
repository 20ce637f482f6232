package io.boxer.netlab;

/**
 * Absolute paths of the tools the lab runs, as found by {@link LabPreconditions}. Immutable.
 *
 * @param ip iproute2's {@code ip}
 * @param iptables {@code iptables} (nf_tables or legacy backend)
 * @param conntrack {@code conntrack} from conntrack-tools
 * @param tc iproute2's {@code tc}
 * @param sysctl procps' {@code sysctl}
 */
public record LabTools(String ip, String iptables, String conntrack, String tc, String sysctl) {
  /** Bare names resolved through PATH; for describing commands when nothing was checked (tests, attach). */
  static final LabTools BARE = new LabTools("ip", "iptables", "conntrack", "tc", "sysctl");
}
