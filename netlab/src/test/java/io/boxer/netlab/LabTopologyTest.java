package io.boxer.netlab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class LabTopologyTest {
  private final LabTopology topology =
      new LabTopology("3fa2", new LabSpec(2, 1, NatProfile.LAMBDA, 0), LabTools.BARE);

  @Test
  void namespaces_areAllLabNamespacesOfTheRun() {
    assertThat(topology.namespaces()).containsExactly(
        "boxer-3fa2-pub", "boxer-3fa2-seed", "boxer-3fa2-vm1",
        "boxer-3fa2-nat1", "boxer-3fa2-nat2", "boxer-3fa2-fn1", "boxer-3fa2-fn2");
  }

  @Test
  void hosts_carryAddressesAndExternalAddresses() {
    List<LabHost> hosts = topology.hosts();
    assertThat(hosts).extracting(LabHost::name).containsExactly("seed", "vm1", "fn1", "fn2");
    LabHost fn2 = hosts.get(3);
    assertThat(fn2.kind()).isEqualTo(HostKind.FUNCTION);
    assertThat(fn2.namespace()).isEqualTo("boxer-3fa2-fn2");
    assertThat(fn2.address().getHostAddress()).isEqualTo("198.19.2.2");
    assertThat(fn2.externalAddress().getHostAddress()).isEqualTo("198.18.0.102");
    assertThat(fn2.natNamespace()).contains("boxer-3fa2-nat2");
    LabHost vm1 = hosts.get(1);
    assertThat(vm1.kind()).isEqualTo(HostKind.VM);
    assertThat(vm1.externalAddress()).isEqualTo(vm1.address());
    assertThat(vm1.natNamespace()).isEmpty();
    assertThat(hosts.get(0).kind()).isEqualTo(HostKind.SEED);
  }

  @Test
  void everyVeth_isCreatedWithBothEndsInLabNamespaces() {
    List<List<String>> veths =
        topology.commands().stream().filter(c -> c.contains("veth")).toList();
    // seed, vm1, 2 × (wan + lan)
    assertThat(veths).hasSize(6);
    for (List<String> c : veths) {
      String line = String.join(" ", c);
      assertThat(line).matches("ip link add \\S+ netns boxer-3fa2-\\S+ type veth peer name \\S+ netns boxer-3fa2-\\S+");
    }
  }

  @Test
  void everyCommand_staysInsideLabNamespaces() {
    for (List<String> c : topology.commands()) {
      String line = String.join(" ", c);
      boolean scoped = line.startsWith("ip -n boxer-3fa2-")
          || line.startsWith("ip netns exec boxer-3fa2-")
          || line.startsWith("ip link add ");
      assertThat(scoped).as(line).isTrue();
    }
  }

  @Test
  void everyAddress_isInsideBenchmarkRange() {
    Pattern addr = Pattern.compile("(\\d+)\\.(\\d+)\\.\\d+\\.\\d+");
    int found = 0;
    for (List<String> c : topology.commands()) {
      for (String arg : c) {
        Matcher m = addr.matcher(arg);
        if (m.lookingAt()) {
          found++;
          assertThat(Integer.parseInt(m.group(1))).as(arg).isEqualTo(198);
          assertThat(Integer.parseInt(m.group(2))).as(arg).isBetween(18, 19);
        }
      }
    }
    // seed, vm1, 2 × (wan, lan, fn) addresses + 2 default routes
    assertThat(found).isEqualTo(10);
  }

  @Test
  void functionHost_defaultRoutesViaItsRouter() {
    assertThat(topology.commands()).anyMatch(
        c -> String.join(" ", c).equals("ip -n boxer-3fa2-fn1 route add default via 198.19.1.1"));
  }

  @Test
  void routerRules_runInsideRouterNamespace() {
    assertThat(topology.commands()).anyMatch(c -> String.join(" ", c).equals(
        "ip netns exec boxer-3fa2-nat2 iptables -t nat -A POSTROUTING -o wan -j MASQUERADE"));
  }

  @Test
  void natEstablishedTimeout_isSetInEveryRouterAndNowhereElse() {
    LabTopology shortNat = new LabTopology("3fa2",
        LabSpec.builder().functions(2).vms(1).natEstablishedTimeoutSeconds(60).build(), LabTools.BARE);
    List<String> timeouts = shortNat.commands().stream().map(c -> String.join(" ", c))
        .filter(l -> l.contains("nf_conntrack_tcp_timeout_established")).toList();
    assertThat(timeouts).containsExactly(
        "ip netns exec boxer-3fa2-nat1 sysctl -q -w net.netfilter.nf_conntrack_tcp_timeout_established=60",
        "ip netns exec boxer-3fa2-nat2 sysctl -q -w net.netfilter.nf_conntrack_tcp_timeout_established=60");
    assertThat(topology.commands()).noneMatch(c -> String.join(" ", c).contains("nf_conntrack_tcp_timeout"));
  }

  @Test
  void everyNamespace_getsLoopbackUp() {
    for (String ns : topology.namespaces()) {
      assertThat(topology.commands()).as(ns)
          .anyMatch(c -> String.join(" ", c).equals("ip -n " + ns + " link set lo up"));
    }
  }

  @Test
  void vmFirewallDrop_givesEveryVmTheSecurityGroup_noneGivesItNoRuleAtAll() {
    LabSpec.Builder spec = LabSpec.builder().functions(1).vms(2);
    List<String> dropped = new LabTopology("3fa2", spec.build(), LabTools.BARE).commands().stream()
        .map(c -> String.join(" ", c)).filter(l -> l.contains("iptables -P INPUT DROP")).toList();
    assertThat(dropped).containsExactly(
        "ip netns exec boxer-3fa2-vm1 iptables -P INPUT DROP",
        "ip netns exec boxer-3fa2-vm2 iptables -P INPUT DROP");
    List<String> open = new LabTopology("3fa2", spec.vmFirewall(VmFirewall.NONE).build(), LabTools.BARE).commands()
        .stream().map(c -> String.join(" ", c)).filter(l -> l.contains("-vm")).toList();
    assertThat(open).isNotEmpty().noneMatch(l -> l.contains("iptables"));
  }

  private final LabTopology shared = new LabTopology("3fa2",
      LabSpec.builder().functions(3).vms(1).functionsPerNat(2).build(), LabTools.BARE);

  private List<String> sharedLines() {
    return shared.commands().stream().map(c -> String.join(" ", c)).toList();
  }

  @Test
  void sharedRouters_existOnlyForTheGroups() {
    assertThat(shared.namespaces()).containsExactly(
        "boxer-3fa2-pub", "boxer-3fa2-seed", "boxer-3fa2-vm1",
        "boxer-3fa2-nat1", "boxer-3fa2-nat2", "boxer-3fa2-fn1", "boxer-3fa2-fn2", "boxer-3fa2-fn3");
    assertThat(sharedLines()).noneMatch(l -> l.contains("nat3"));
  }

  @Test
  void sharedRouter_hasALanVethPerFunction_withThatFunctionsGateway() {
    List<String> lines = sharedLines();
    assertThat(lines.stream().filter(l -> l.contains("veth peer name eth0"))).containsExactly(
        "ip link add lan1 netns boxer-3fa2-nat1 type veth peer name eth0 netns boxer-3fa2-fn1",
        "ip link add lan2 netns boxer-3fa2-nat1 type veth peer name eth0 netns boxer-3fa2-fn2",
        "ip link add lan3 netns boxer-3fa2-nat2 type veth peer name eth0 netns boxer-3fa2-fn3");
    assertThat(lines).contains(
        "ip -n boxer-3fa2-nat1 addr add 198.19.1.1/24 dev lan1",
        "ip -n boxer-3fa2-nat1 addr add 198.19.2.1/24 dev lan2",
        "ip -n boxer-3fa2-nat2 addr add 198.19.3.1/24 dev lan3",
        "ip -n boxer-3fa2-nat1 link set lan2 up",
        "ip -n boxer-3fa2-fn2 addr add 198.19.2.2/24 dev eth0",
        "ip -n boxer-3fa2-fn2 route add default via 198.19.2.1",
        "ip -n boxer-3fa2-fn3 route add default via 198.19.3.1");
    // one WAN per router, at the router's address
    assertThat(lines.stream().filter(l -> l.contains(" dev wan") && l.contains("addr add"))).containsExactly(
        "ip -n boxer-3fa2-nat1 addr add 198.18.0.101/24 dev wan",
        "ip -n boxer-3fa2-nat2 addr add 198.18.0.102/24 dev wan");
  }

  @Test
  void sharedRouter_getsItsNatRulesOnce_matchingEveryLan() {
    List<String> lines = sharedLines();
    assertThat(lines.stream().filter(l -> l.contains("MASQUERADE"))).containsExactly(
        "ip netns exec boxer-3fa2-nat1 iptables -t nat -A POSTROUTING -o wan -j MASQUERADE",
        "ip netns exec boxer-3fa2-nat2 iptables -t nat -A POSTROUTING -o wan -j MASQUERADE");
    assertThat(lines).contains(
        "ip netns exec boxer-3fa2-nat1 iptables -A FORWARD -i lan+ -o wan -j ACCEPT",
        "ip netns exec boxer-3fa2-nat1 iptables -A FORWARD -i wan -o lan+ -m conntrack --ctstate ESTABLISHED,RELATED"
            + " -j ACCEPT");
    // forwarding goes on only once both LANs of nat1 exist and its rules are in place
    int lastLan = lines.indexOf("ip -n boxer-3fa2-nat1 link set lan2 up");
    int forwarding = lines.indexOf("ip netns exec boxer-3fa2-nat1 sysctl -q -w net.ipv4.ip_forward=1");
    assertThat(lastLan).isNotNegative().isLessThan(forwarding);
  }

  @Test
  void functionsBehindOneRouter_shareItsExternalAddressAndNamespace() {
    List<LabHost> hosts = shared.hosts();
    assertThat(hosts).extracting(LabHost::name).containsExactly("seed", "vm1", "fn1", "fn2", "fn3");
    assertThat(hosts.subList(2, 5)).extracting(h -> h.externalAddress().getHostAddress())
        .containsExactly("198.18.0.101", "198.18.0.101", "198.18.0.102");
    assertThat(hosts.subList(2, 5)).extracting(h -> h.natNamespace().orElseThrow())
        .containsExactly("boxer-3fa2-nat1", "boxer-3fa2-nat1", "boxer-3fa2-nat2");
    assertThat(hosts.subList(2, 5)).extracting(h -> h.address().getHostAddress())
        .containsExactly("198.19.1.2", "198.19.2.2", "198.19.3.2");
  }
}
