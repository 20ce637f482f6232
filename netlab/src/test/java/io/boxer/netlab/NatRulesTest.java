package io.boxer.netlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class NatRulesTest {
  private final NatRules rules = new NatRules(LabTools.BARE);

  private static String line(List<String> cmd) {
    return String.join(" ", cmd);
  }

  private static LabSpec spec(NatProfile profile, double lossPercent) {
    return LabSpec.builder().profile(profile).lossPercent(lossPercent).build();
  }

  @Test
  void lambda_isMasqueradeWithStatefulFilterAndLiberalConntrack() {
    List<String> c = rules.commands(spec(NatProfile.LAMBDA, 0)).stream().map(NatRulesTest::line).toList();
    assertThat(c).containsExactly(
        "iptables -t nat -A POSTROUTING -o wan -j MASQUERADE",
        "iptables -P FORWARD DROP",
        "iptables -A FORWARD -i lan+ -o wan -j ACCEPT",
        "iptables -A FORWARD -i wan -o lan+ -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
        "iptables -A INPUT -i wan -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
        "iptables -A INPUT -i wan -j DROP",
        "sysctl -q -w net.netfilter.nf_conntrack_tcp_be_liberal=1",
        "sysctl -q -w net.ipv4.ip_forward=1");
  }

  @Test
  void noRule_forwardsFromOneLanToAnother() {
    // FORWARD's policy drops what no rule accepts: every ACCEPT has the WAN on one side
    for (NatProfile p : NatProfile.values()) {
      assertThat(rules.commands(spec(p, 5)).stream().map(NatRulesTest::line))
          .filteredOn(l -> l.contains("FORWARD") && l.endsWith("ACCEPT"))
          .isNotEmpty()
          .allMatch(l -> l.contains("-i wan") || l.contains("-o wan"));
    }
  }

  @Test
  void lan_isNamedAfterItsFunction_andMatchedByTheWildcard() {
    assertThat(NatRules.lan(1)).isEqualTo("lan1");
    assertThat(NatRules.lan(LabSpec.MAX_FUNCTIONS)).isEqualTo("lan50").hasSizeLessThan(16); // IFNAMSIZ
    assertThat(NatRules.ANY_LAN).isEqualTo("lan+");
    assertThatThrownBy(() -> NatRules.lan(51)).hasMessage("function : 51 (expected: 1..50)");
  }

  @Test
  void strict_turnsLiberalConntrackOff() {
    List<String> c = rules.commands(spec(NatProfile.STRICT, 0)).stream().map(NatRulesTest::line).toList();
    assertThat(c).contains("sysctl -q -w net.netfilter.nf_conntrack_tcp_be_liberal=0")
        .contains("iptables -t nat -A POSTROUTING -o wan -j MASQUERADE");
  }

  @Test
  void symmetric_randomizesPorts() {
    List<String> c = rules.commands(spec(NatProfile.SYMMETRIC, 0)).stream().map(NatRulesTest::line).toList();
    assertThat(c.get(0)).isEqualTo("iptables -t nat -A POSTROUTING -o wan -j MASQUERADE --random-fully");
    assertThat(c).contains("sysctl -q -w net.netfilter.nf_conntrack_tcp_be_liberal=1");
  }

  @Test
  void neverRejects_soInboundIsDroppedSilently() {
    for (NatProfile p : NatProfile.values()) {
      assertThat(rules.commands(spec(p, 50))).noneMatch(cmd -> cmd.contains("REJECT"));
    }
  }

  @Test
  void loss_insertsDropFirstInBothDirections_andForwardingComesLast() {
    List<String> c = rules.commands(spec(NatProfile.LAMBDA, 5)).stream().map(NatRulesTest::line).toList();
    assertThat(c).contains(
        "iptables -I FORWARD 1 -o wan -m statistic --mode random --probability 0.05 -j DROP",
        "iptables -I FORWARD 1 -i wan -m statistic --mode random --probability 0.05 -j DROP");
    assertThat(c.get(c.size() - 1)).isEqualTo("sysctl -q -w net.ipv4.ip_forward=1");
  }

  @Test
  void noLoss_addsNoStatisticRule() {
    assertThat(rules.commands(spec(NatProfile.LAMBDA, 0))).noneMatch(cmd -> cmd.contains("statistic"));
  }

  @Test
  void establishedTimeout_isSetInTheRouter_beforeForwardingIsSwitchedOn() {
    LabSpec spec = LabSpec.builder().natEstablishedTimeoutSeconds(5).build();
    List<String> c = rules.commands(spec).stream().map(NatRulesTest::line).toList();
    assertThat(c).containsSubsequence(
        "iptables -A INPUT -i wan -j DROP",
        "sysctl -q -w net.netfilter.nf_conntrack_tcp_timeout_established=5",
        "sysctl -q -w net.ipv4.ip_forward=1");
  }

  @Test
  void noEstablishedTimeout_leavesTheKernelDefault() {
    assertThat(rules.commands(spec(NatProfile.LAMBDA, 5)))
        .noneMatch(cmd -> line(cmd).contains("nf_conntrack_tcp_timeout_established"));
  }

  @Test
  void probability_isLocaleIndependentFraction() {
    assertThat(NatRules.probability(5)).isEqualTo("0.05");
    assertThat(NatRules.probability(0.5)).isEqualTo("0.005");
    assertThat(NatRules.probability(100)).isEqualTo("1.0");
    assertThat(NatRules.probability(33.3)).isEqualTo("0.333");
  }
}
