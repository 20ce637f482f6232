package io.boxer.node.priming;

import io.boxer.control.Roles;
import io.boxer.proto.v1.ConnectionPolicy;
import io.boxer.proto.v1.PolicyRule;
import io.boxer.proto.v1.PortRange;

/**
 * The cluster's connection policy as the listening side enforces it: may a member of role {@code from}
 * connect to {@code port} of a member of role {@code to}? Without a policy every member may reach every
 * port. Immutable and thread-safe.
 */
public final class PrimePolicy {
  /** No policy: members may connect to members. */
  public static final PrimePolicy OPEN = new PrimePolicy(null);

  private final ConnectionPolicy policy;

  private PrimePolicy(ConnectionPolicy policy) {
    this.policy = policy;
  }

  /** The seed's policy; null or absent means {@link #OPEN}. */
  public static PrimePolicy of(ConnectionPolicy policy) {
    return policy == null ? OPEN : new PrimePolicy(policy);
  }

  public boolean allows(String from, String to, int port) {
    if (policy == null) {
      return true;
    }
    for (PolicyRule rule : policy.getRulesList()) {
      if (matches(rule.getFromRole(), from) && matches(rule.getToRole(), to) && covers(rule, port)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(String pattern, String role) {
    return pattern.equals(Roles.ANY) || pattern.equals(role);
  }

  private static boolean covers(PolicyRule rule, int port) {
    if (rule.getPortsCount() == 0) {
      return true;
    }
    for (PortRange range : rule.getPortsList()) {
      if (port >= range.getFirst() && port <= range.getLast()) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return policy == null ? "PrimePolicy[open]" : "PrimePolicy[" + policy.getRulesCount() + " rules]";
  }
}
