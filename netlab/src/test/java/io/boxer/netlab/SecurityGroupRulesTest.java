package io.boxer.netlab;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SecurityGroupRulesTest {
  private final LabTools tools = new LabTools("/ip", "/iptables", "/conntrack", "/tc", "/sysctl");

  @Test
  void commands_acceptOnlyEstablishedInboundAndDropTheRestSilently() {
    List<String> flat = new SecurityGroupRules(tools).commands().stream().map(c -> String.join(" ", c)).toList();

    assertThat(flat).containsExactly(
        "/iptables -A INPUT -i lo -j ACCEPT",
        "/iptables -A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT",
        "/iptables -P INPUT DROP",
        "/sysctl -q -w net.netfilter.nf_conntrack_tcp_be_liberal=1");
    assertThat(flat).noneMatch(c -> c.contains("REJECT"));
  }

  @Test
  void allowInboundTcp_insertsAnAcceptRuleForThePortBeforeThePolicy() {
    assertThat(String.join(" ", new SecurityGroupRules(tools).allowInboundTcp(6379)))
        .isEqualTo("/iptables -I INPUT -p tcp --dport 6379 -j ACCEPT");
  }
}
