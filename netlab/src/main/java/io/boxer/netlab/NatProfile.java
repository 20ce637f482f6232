package io.boxer.netlab;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How a lab's NAT routers behave (docs/design/nat-lab.md). Every profile drops unsolicited inbound traffic silently
 * (no RST); they differ in port allocation and in TCP window tracking.
 */
public enum NatProfile {
  /** MASQUERADE (port-preserving when free), liberal conntrack: direct priming works, as on AWS Lambda. */
  LAMBDA(false, true),
  /** Like {@link #LAMBDA} but strict conntrack window tracking: priming of app connections fails. */
  STRICT(false, false),
  /** MASQUERADE {@code --random-fully}: external ports are unpredictable, a relay is needed. */
  SYMMETRIC(true, true);

  private final boolean randomPorts;
  private final boolean liberalTcp;

  NatProfile(boolean randomPorts, boolean liberalTcp) {
    this.randomPorts = randomPorts;
    this.liberalTcp = liberalTcp;
  }

  /** True if MASQUERADE picks external ports at random ({@code --random-fully}) instead of preserving them. */
  public boolean randomPorts() {
    return randomPorts;
  }

  /** The value of {@code net.netfilter.nf_conntrack_tcp_be_liberal} in the router namespace: true means 1. */
  public boolean liberalTcp() {
    return liberalTcp;
  }

  /** The lower-case name used on the command line and in metadata files, e.g. {@code lambda}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * Parses a profile name, ignoring case and surrounding blanks.
   *
   * @throws IllegalArgumentException naming the value and the accepted names
   */
  public static NatProfile parse(String value) {
    if (value != null) {
      String v = value.trim();
      for (NatProfile p : values()) {
        if (p.name().equalsIgnoreCase(v)) {
          return p;
        }
      }
    }
    throw new IllegalArgumentException("profile : " + value + " (expected: one of " + names() + ")");
  }

  /** The accepted names, e.g. {@code lambda, strict, symmetric}. */
  public static String names() {
    return Arrays.stream(values()).map(NatProfile::cliName).collect(Collectors.joining(", "));
  }
}
