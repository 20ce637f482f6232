package io.boxer.netlab;

import java.util.ArrayList;
import java.util.List;

/**
 * The commands that give a VM host the behaviour of an EC2 instance in a default security group: a
 * stateful firewall that accepts traffic belonging to connections the host opened and silently drops every
 * other inbound packet (never a RST). This matters for Boxer: a priming SYN sent toward a VM's port must be
 * dropped, as on AWS, not answered with a RST that would tear down the sender's fresh NAT state. Tracking is
 * liberal ({@code nf_conntrack_tcp_be_liberal=1}), as for the {@code lambda} NAT, so a primed connection
 * whose SYN-ACK carries a different sequence number than the priming SYN is still accepted. Pure: builds
 * argument lists to run inside the VM's namespace. Immutable and thread-safe.
 */
final class SecurityGroupRules {
  private final LabTools tools;

  SecurityGroupRules(LabTools tools) {
    this.tools = tools;
  }

  List<List<String>> commands() {
    List<List<String>> c = new ArrayList<>();
    c.add(iptables("-A", "INPUT", "-i", "lo", "-j", "ACCEPT"));
    c.add(iptables("-A", "INPUT", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED", "-j", "ACCEPT"));
    // DROP, never REJECT: security groups drop unsolicited inbound silently.
    c.add(iptables("-P", "INPUT", "DROP"));
    c.add(List.of(tools.sysctl(), "-q", "-w", "net.netfilter.nf_conntrack_tcp_be_liberal=1"));
    return c;
  }

  /**
   * The rule a user adds to a security group to let clients in: inbound TCP to {@code port} from anywhere.
   * Inserted before the policy applies, so it takes effect at once.
   */
  List<String> allowInboundTcp(int port) {
    return iptables("-I", "INPUT", "-p", "tcp", "--dport", Integer.toString(port), "-j", "ACCEPT");
  }

  private List<String> iptables(String... args) {
    List<String> l = new ArrayList<>();
    l.add(tools.iptables());
    l.addAll(List.of(args));
    return l;
  }
}
