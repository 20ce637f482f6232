package io.boxer.netlab;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class WanRulesTest {
  private static final WanSpec WAN = new WanSpec(Duration.ofMillis(1), Duration.ZERO, 620);

  private static List<String> lines(LabSpec spec) {
    return new LabTopology("3fa2", spec, LabTools.BARE).commands().stream().map(c -> String.join(" ", c)).toList();
  }

  @Test
  void labWithoutWan_hasNoQueueRuleNoQdiscAndNoDelayedNamespace() {
    LabSpec spec = LabSpec.builder().functions(2).vms(1).build();
    assertThat(lines(spec)).noneMatch(l -> l.contains("NFQUEUE") || l.contains("tbf") || l.contains("mangle"));
    assertThat(new LabTopology("3fa2", spec, LabTools.BARE).delayedNamespaces()).isEmpty();
  }

  @Test
  void delayedLab_queuesWhatEveryPublicSideSends() {
    LabSpec spec = LabSpec.builder().functions(3).functionsPerNat(2).vms(1)
        .wan(new WanSpec(Duration.ofMillis(1), Duration.ZERO, 0)).build();
    assertThat(lines(spec).stream().filter(l -> l.contains("NFQUEUE")).toList()).containsExactly(
        "ip netns exec boxer-3fa2-seed iptables -t mangle -A POSTROUTING -o eth0 -j NFQUEUE --queue-num 0",
        "ip netns exec boxer-3fa2-vm1 iptables -t mangle -A POSTROUTING -o eth0 -j NFQUEUE --queue-num 0",
        "ip netns exec boxer-3fa2-nat1 iptables -t mangle -A POSTROUTING -o wan -j NFQUEUE --queue-num 0",
        "ip netns exec boxer-3fa2-nat2 iptables -t mangle -A POSTROUTING -o wan -j NFQUEUE --queue-num 0");
    assertThat(new LabTopology("3fa2", spec, LabTools.BARE).delayedNamespaces()).containsExactly(
        "boxer-3fa2-seed", "boxer-3fa2-vm1", "boxer-3fa2-nat1", "boxer-3fa2-nat2");
    assertThat(lines(spec)).noneMatch(l -> l.contains("tbf"));
  }

  @Test
  void delayRule_comesRightAfterItsInterfaceIsUp_beforeTheRoutersForward() {
    List<String> lines = lines(LabSpec.builder().functions(1).vms(0).wan(WAN).build());
    int wanUp = lines.indexOf("ip -n boxer-3fa2-nat1 link set wan up");
    int queue = lines.indexOf(
        "ip netns exec boxer-3fa2-nat1 iptables -t mangle -A POSTROUTING -o wan -j NFQUEUE --queue-num 0");
    int forwarding = lines.indexOf("ip netns exec boxer-3fa2-nat1 sysctl -q -w net.ipv4.ip_forward=1");
    assertThat(wanUp).isNotNegative();
    assertThat(queue).isEqualTo(wanUp + 1).isLessThan(forwarding);
  }

  @Test
  void rateCap_limitsEveryFunctionBothWays_andNoPublicHost() {
    LabSpec spec = LabSpec.builder().functions(2).functionsPerNat(2).vms(1).wan(WAN).build();
    assertThat(lines(spec).stream().filter(l -> l.contains("tbf")).toList()).containsExactly(
        "tc -n boxer-3fa2-fn1 qdisc add dev eth0 root tbf rate 620mbit burst 77500 latency 10ms",
        "tc -n boxer-3fa2-nat1 qdisc add dev lan1 root tbf rate 620mbit burst 77500 latency 10ms",
        "tc -n boxer-3fa2-fn2 qdisc add dev eth0 root tbf rate 620mbit burst 77500 latency 10ms",
        "tc -n boxer-3fa2-nat1 qdisc add dev lan2 root tbf rate 620mbit burst 77500 latency 10ms");
  }

  @Test
  void burst_isOneMillisecondAtTheRate_butAtLeast16KiB() {
    assertThat(WanRules.burstBytes(620)).isEqualTo(77_500);
    assertThat(WanRules.burstBytes(10_000)).isEqualTo(1_250_000);
    assertThat(WanRules.burstBytes(1)).isEqualTo(16 * 1024);
  }

  @Test
  void delayerCommand_runsInPub_servingEveryDelayedNamespace() {
    WanSpec wan = new WanSpec(Duration.ofNanos(500_000), Duration.ofNanos(20_000), 0);
    List<String> c = WanDelayerProcess.command(LabTools.BARE, "boxer-3fa2-pub", wan,
        List.of("boxer-3fa2-seed", "boxer-3fa2-nat1"), Path.of("/run/boxer-lab/3fa2.wan.json"), "/jdk", "cp.jar");
    assertThat(String.join(" ", c)).isEqualTo("ip netns exec boxer-3fa2-pub /jdk/bin/java -Xmx64m -XX:+UseSerialGC"
        + " -XX:-UsePerfData -cp cp.jar io.boxer.netlab.wan.WanDelayer --status-file /run/boxer-lab/3fa2.wan.json"
        + " --one-way-micros 250 --jitter-micros 20 /run/netns/boxer-3fa2-seed /run/netns/boxer-3fa2-nat1");
  }
}
