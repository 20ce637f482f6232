package io.boxer.netlab;

import java.util.ArrayList;
import java.util.List;

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

  /**
   * {@code ip netns exec NAMESPACE COMMAND...}: {@code command} run inside {@code namespace}. The one place the
   * lab builds this prefix; {@code ip netns exec} execs the command, so the process started is the command.
   *
   * @throws IllegalArgumentException if {@code command} is empty
   */
  public List<String> inNamespace(String namespace, List<String> command) {
    if (command.isEmpty()) {
      throw new IllegalArgumentException("command : [] (expected: at least the program name)");
    }
    List<String> full = new ArrayList<>(4 + command.size());
    full.add(ip);
    full.add("netns");
    full.add("exec");
    full.add(namespace);
    full.addAll(command);
    return List.copyOf(full);
  }
}
