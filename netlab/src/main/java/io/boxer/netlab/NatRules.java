package io.boxer.netlab;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The commands that turn a router namespace into a NAT of a given {@link NatProfile} (docs/design/nat-lab.md), as
 * argument lists to run inside that namespace. Pure: builds lists, runs nothing, so the exact rules are
 * unit-testable. Immutable and thread-safe.
 *
 * <p>Interfaces: {@value #WAN} faces the public segment; {@code lanK} faces function K's private segment, one
 * per function behind the router ({@link #lan(int)}), and every rule names them all with the iptables
 * wildcard {@value #ANY_LAN}. No rule accepts LAN → LAN forwarding (FORWARD's policy drops it): functions
 * behind one router reach each other only as any two functions do, through the public segment
 * (docs/design/nat-lab.md).
 * Rule order matters: the loss rules are inserted first in FORWARD so they apply before any ACCEPT, the
 * conntrack settings follow the rules (the first conntrack rule makes the namespace's {@code nf_conntrack}
 * keys exist), and forwarding is switched on last so no packet crosses the router before the filter and the
 * timeouts are in place.
 */
final class NatRules {
  static final String WAN = "wan";
  /** Matches every {@link #lan(int)} interface: {@code +} is iptables' interface-name wildcard. */
  static final String ANY_LAN = "lan+";

  private final LabTools tools;

  NatRules(LabTools tools) {
    this.tools = tools;
  }

  /** Every command, in order, to run inside each router namespace of a lab built from {@code spec}. */
  List<List<String>> commands(LabSpec spec) {
    NatProfile profile = spec.profile();
    double lossPercent = spec.lossPercent();
    List<List<String>> c = new ArrayList<>();
    List<String> masquerade =
        new ArrayList<>(
            List.of(tools.iptables(), "-t", "nat", "-A", "POSTROUTING", "-o", WAN, "-j", "MASQUERADE"));
    if (profile.randomPorts()) {
      masquerade.add("--random-fully");
    }
    c.add(masquerade);
    c.add(iptables("-P", "FORWARD", "DROP"));
    c.add(iptables("-A", "FORWARD", "-i", ANY_LAN, "-o", WAN, "-j", "ACCEPT"));
    c.add(
        iptables(
            "-A", "FORWARD", "-i", WAN, "-o", ANY_LAN,
            "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT"));
    c.add(
        iptables(
            "-A", "INPUT", "-i", WAN, "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED",
            "-j", "ACCEPT"));
    // DROP, never REJECT: AWS NATs drop unsolicited inbound silently, so connects must time out.
    c.add(iptables("-A", "INPUT", "-i", WAN, "-j", "DROP"));
    if (lossPercent > 0) {
      String p = probability(lossPercent);
      c.add(iptables("-I", "FORWARD", "1", "-o", WAN, "-m", "statistic", "--mode", "random",
          "--probability", p, "-j", "DROP"));
      c.add(iptables("-I", "FORWARD", "1", "-i", WAN, "-m", "statistic", "--mode", "random",
          "--probability", p, "-j", "DROP"));
    }
    // be_liberal decides whether priming works (docs/design/nat-lab.md); set it per namespace, explicitly both ways.
    c.add(sysctl("net.netfilter.nf_conntrack_tcp_be_liberal=" + (profile.liberalTcp() ? 1 : 0)));
    if (spec.natEstablishedTimeoutSeconds() > 0) {
      // per network namespace on this kernel: shortens this router's memory only, never the host's
      c.add(sysctl("net.netfilter.nf_conntrack_tcp_timeout_established=" + spec.natEstablishedTimeoutSeconds()));
    }
    c.add(sysctl("net.ipv4.ip_forward=1"));
    return c;
  }

  /**
   * The router's interface toward function {@code function}: {@code lanK}, at most 5 characters, well under
   * IFNAMSIZ. Named after the function, not a position, so a function's interface is the same whichever
   * functions share its router.
   */
  static String lan(int function) {
    if (function < 1 || function > LabSpec.MAX_FUNCTIONS) {
      throw new IllegalArgumentException(
          "function : " + function + " (expected: 1.." + LabSpec.MAX_FUNCTIONS + ")");
    }
    return "lan" + function;
  }

  /** Percent to the iptables statistic probability, e.g. 5 → {@code 0.05}; locale-independent. */
  static String probability(double lossPercent) {
    String s = String.format(Locale.ROOT, "%.6f", lossPercent / 100.0);
    s = s.replaceAll("0+$", "");
    return s.endsWith(".") ? s + "0" : s;
  }

  private List<String> iptables(String... args) {
    List<String> l = new ArrayList<>();
    l.add(tools.iptables());
    l.addAll(List.of(args));
    return l;
  }

  private List<String> sysctl(String assignment) {
    return List.of(tools.sysctl(), "-q", "-w", assignment);
  }
}
