package io.boxer.netlab;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What stands in front of a lab's VM hosts: the stray SYN that a function's node sends to prime its NAT
 * reaches the VM, and whether the VM drops it or answers it with a RST decides whether that NAT state
 * survives (docs/relay.md, "Hosts that answer with RST").
 */
public enum VmFirewall {
  /**
   * A default EC2 security group ({@link SecurityGroupRules}): unsolicited inbound packets are dropped
   * silently; {@code lab allow} opens single ports.
   */
  DROP,
  /**
   * No firewall, as a bare Linux host or a security group open to all: a SYN to a port nothing listens on is
   * answered with a RST by the kernel.
   */
  NONE;

  /** The lower-case name used on the command line and in metadata files, e.g. {@code drop}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a name, ignoring case and surrounding blanks.
   *
   * @throws IllegalArgumentException naming the value and the accepted names
   */
  public static VmFirewall parse(String value) {
    if (value != null) {
      String v = value.trim();
      for (VmFirewall f : values()) {
        if (f.name().equalsIgnoreCase(v)) {
          return f;
        }
      }
    }
    throw new IllegalArgumentException("vm-firewall : " + value + " (expected: one of " + names() + ")");
  }

  /** The accepted names: {@code drop, none}. */
  public static String names() {
    return Arrays.stream(values()).map(VmFirewall::cliName).collect(Collectors.joining(", "));
  }
}
