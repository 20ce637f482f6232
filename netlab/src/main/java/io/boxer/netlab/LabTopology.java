package io.boxer.netlab;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The plan of one lab: its namespaces, its hosts and the ordered {@code ip}/{@code iptables}/{@code sysctl}
 * commands that build it. Pure: nothing here touches the system, so the plan is unit-testable; {@link Lab}
 * runs it. Immutable and thread-safe.
 *
 * <pre>
 *   seed ─┐                         ┌─ wan [nat1] lan1 ── eth0 fn1   (198.19.1.0/24)
 *   vmI  ─┼── br0 in boxer-ID-pub ──┤             lan2 ── eth0 fn2   (198.19.2.0/24, if nat1 is shared)
 *         │   (198.18.0.0/24)       └─ wan [natJ] lanK ── eth0 fnK   (198.19.K.0/24)
 * </pre>
 *
 * With {@link LabSpec#functionsPerNat()} N, router J serves functions {@code (J-1)·N+1..J·N} ({@link
 * NatGroups}), one LAN veth each; with N = 1 (the default) every function has a router of its own.
 *
 * <p>Every veth is created with both ends directly in their namespaces, so nothing ever appears in the root
 * namespace, even briefly. Every namespace gets {@code lo} up and IPv6 off (no link-local chatter: the lab
 * only uses its 198.18.0.0/15 addresses). In the pub namespace, host {@code H}'s bridge port is {@code p-H}.
 * VM hosts behave like EC2 instances in a default security group ({@link SecurityGroupRules}), or, with
 * {@link VmFirewall#NONE}, like bare hosts that answer stray SYNs with RST; the seed host accepts everything
 * (it is the rendezvous).
 *
 * <p>With a {@link LabSpec#wan()} that delays, the seed's and every VM's {@code eth0} and every router's
 * {@code wan} queue their outgoing packets to the delayer ({@link WanRules}, {@link #delayedNamespaces()});
 * with a rate cap, every function's {@code eth0} and its router's {@code lanK} get a {@code tbf} qdisc.
 */
final class LabTopology {
  static final String BRIDGE = "br0";
  static final String HOST_IF = "eth0";

  private final String runId;
  private final LabSpec spec;
  private final LabTools tools;
  private final NatGroups natGroups;
  private final WanRules wan;

  LabTopology(String runId, LabSpec spec, LabTools tools) {
    this.runId = LabNames.checkRunId(runId);
    this.spec = spec;
    this.tools = tools;
    this.natGroups = spec.natGroups();
    this.wan = new WanRules(spec.wan(), tools);
  }

  /**
   * The namespaces whose link to the public segment delays what it sends: seed, vm1..vmV, nat1..natJ; none
   * unless {@link LabSpec#wan()} delays. The delayer serves exactly these.
   */
  List<String> delayedNamespaces() {
    if (!spec.wan().delays()) {
      return List.of();
    }
    List<String> ns = new ArrayList<>();
    ns.add(ns(LabNames.SEED));
    for (int i = 1; i <= spec.vms(); i++) {
      ns.add(ns(LabNames.vm(i)));
    }
    for (int j = 1; j <= natGroups.nats(spec.functions()); j++) {
      ns.add(ns(LabNames.nat(j)));
    }
    return ns;
  }

  /** Every namespace in creation order: pub, seed, vm1..vmV, nat1..natJ (J routers), fn1..fnK. */
  List<String> namespaces() {
    List<String> ns = new ArrayList<>();
    ns.add(ns(LabNames.PUBLIC));
    ns.add(ns(LabNames.SEED));
    for (int i = 1; i <= spec.vms(); i++) {
      ns.add(ns(LabNames.vm(i)));
    }
    for (int j = 1; j <= natGroups.nats(spec.functions()); j++) {
      ns.add(ns(LabNames.nat(j)));
    }
    for (int k = 1; k <= spec.functions(); k++) {
      ns.add(ns(LabNames.function(k)));
    }
    return ns;
  }

  /** Hosts in order seed, vm1..vmV, fn1..fnK. */
  List<LabHost> hosts() {
    List<LabHost> hosts = new ArrayList<>();
    hosts.add(LabHost.of(runId, LabNames.SEED, natGroups, tools));
    for (int i = 1; i <= spec.vms(); i++) {
      hosts.add(LabHost.of(runId, LabNames.vm(i), natGroups, tools));
    }
    for (int k = 1; k <= spec.functions(); k++) {
      hosts.add(LabHost.of(runId, LabNames.function(k), natGroups, tools));
    }
    return hosts;
  }

  /**
   * The commands that configure the lab once all {@link #namespaces()} exist, in order. Namespace creation
   * is not included: {@link Lab} does it itself to know exactly which ones it created.
   */
  List<List<String>> commands() {
    List<List<String>> c = new ArrayList<>();
    for (String n : namespaces()) {
      // -e: a kernel without IPv6 has no such keys, which is fine.
      c.add(exec(n, List.of(tools.sysctl(), "-q", "-e", "-w",
          "net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1")));
      c.add(ip("-n", n, "link", "set", "lo", "up"));
    }
    String pub = ns(LabNames.PUBLIC);
    c.add(ip("-n", pub, "link", "add", BRIDGE, "type", "bridge"));
    c.add(ip("-n", pub, "link", "set", BRIDGE, "up"));

    attachPublic(c, LabNames.SEED, HOST_IF, AddressPlan.seed());
    delay(c, LabNames.SEED, HOST_IF);
    SecurityGroupRules securityGroup = new SecurityGroupRules(tools);
    for (int i = 1; i <= spec.vms(); i++) {
      attachPublic(c, LabNames.vm(i), HOST_IF, AddressPlan.vm(i));
      delay(c, LabNames.vm(i), HOST_IF);
      if (spec.vmFirewall() == VmFirewall.DROP) {
        for (List<String> rule : securityGroup.commands()) {
          c.add(exec(ns(LabNames.vm(i)), rule));
        }
      }
    }
    NatRules rules = new NatRules(tools);
    for (int j = 1; j <= natGroups.nats(spec.functions()); j++) {
      String nat = ns(LabNames.nat(j));
      attachPublic(c, LabNames.nat(j), NatRules.WAN, AddressPlan.natWan(j));
      delay(c, LabNames.nat(j), NatRules.WAN);
      for (int k : natGroups.functionsBehind(j, spec.functions())) {
        attachFunction(c, nat, k);
      }
      for (List<String> rule : rules.commands(spec)) {
        c.add(exec(nat, rule));
      }
    }
    return c;
  }

  /** Links function {@code k} to router namespace {@code nat} over its own /24, and routes it through there. */
  private void attachFunction(List<List<String>> c, String nat, int k) {
    String fn = ns(LabNames.function(k));
    String lan = NatRules.lan(k);
    c.add(ip("link", "add", lan, "netns", nat, "type", "veth", "peer", "name", HOST_IF, "netns", fn));
    c.add(ip("-n", nat, "addr", "add", AddressPlan.cidr(AddressPlan.natLan(k)), "dev", lan));
    c.add(ip("-n", nat, "link", "set", lan, "up"));
    c.add(ip("-n", fn, "addr", "add", AddressPlan.cidr(AddressPlan.function(k)), "dev", HOST_IF));
    c.add(ip("-n", fn, "link", "set", HOST_IF, "up"));
    c.add(ip("-n", fn, "route", "add", "default", "via", AddressPlan.natLan(k).getHostAddress()));
    c.addAll(wan.rateCap(fn, HOST_IF)); // the function's upload
    c.addAll(wan.rateCap(nat, lan)); // its download
  }

  /** Queues what {@code member} sends through {@code ifName} to the delayer, if the WAN delays. */
  private void delay(List<List<String>> c, String member, String ifName) {
    for (List<String> rule : wan.delay(ifName)) {
      c.add(exec(ns(member), rule));
    }
  }

  /** Links {@code member}'s interface {@code ifName} to the bridge and gives it {@code address}/24. */
  private void attachPublic(List<List<String>> c, String member, String ifName, InetAddress address) {
    String pub = ns(LabNames.PUBLIC);
    String n = ns(member);
    String port = "p-" + member; // at most 7 characters, well under IFNAMSIZ
    c.add(ip("link", "add", ifName, "netns", n, "type", "veth", "peer", "name", port, "netns", pub));
    c.add(ip("-n", pub, "link", "set", port, "master", BRIDGE));
    c.add(ip("-n", pub, "link", "set", port, "up"));
    c.add(ip("-n", n, "addr", "add", AddressPlan.cidr(address), "dev", ifName));
    c.add(ip("-n", n, "link", "set", ifName, "up"));
  }

  private String ns(String member) {
    return LabNames.namespace(runId, member);
  }

  private List<String> ip(String... args) {
    List<String> l = new ArrayList<>();
    l.add(tools.ip());
    l.addAll(List.of(args));
    return l;
  }

  private List<String> exec(String namespace, List<String> command) {
    return tools.inNamespace(namespace, command);
  }
}
