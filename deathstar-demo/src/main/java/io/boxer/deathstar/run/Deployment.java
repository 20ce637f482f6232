package io.boxer.deathstar.run;

import io.boxer.deathstar.app.Role;
import io.boxer.netlab.LabSpec;
import io.boxer.netlab.NatProfile;
import java.util.List;

/**
 * The three deployments of the paper's Figure 8, placed on lab hosts. Every service has its own host; Redis has
 * its own VM and is never a Boxer member (clients reach it through an open security-group port, as on EC2).
 * The frontend is always on {@code vm1}, with its HTTP port open: it is the public API the load generator (on
 * the seed host, a routable client outside the deployment) calls.
 */
public enum Deployment {
  /** 1: all services on VMs, no Boxer; every service port is opened in the security groups. */
  VMS("vms", "all on VMs, no Boxer", false, false),
  /** 2: all services on VMs under {@code boxer run}; only the public API and Redis ports are open. */
  VMS_BOXER("vms-boxer", "all on VMs under Boxer", true, false),
  /** 3: frontend and Redis on VMs, the logic tier in functions behind lambda NATs, under Boxer. */
  FUNCTIONS_BOXER("functions-boxer", "frontend+Redis on VMs, logic in functions, Boxer", true, true);

  /** The Boxer members of a Boxer deployment: every service. */
  public static final int MEMBERS = Role.values().length;

  private final String label;
  private final String description;
  private final boolean boxer;
  private final boolean logicInFunctions;

  Deployment(String label, String description, boolean boxer, boolean logicInFunctions) {
    this.label = label;
    this.description = description;
    this.boxer = boxer;
    this.logicInFunctions = logicInFunctions;
  }

  /** The short name used in results, plots and on the command line. */
  public String label() {
    return label;
  }

  public String description() {
    return description;
  }

  /** Whether the services run under {@code boxer run}. */
  public boolean boxer() {
    return boxer;
  }

  /** The lab this deployment needs: a host per service, one VM for Redis. */
  public LabSpec labSpec() {
    int logic = MEMBERS - 1;
    return LabSpec.builder()
        .functions(logicInFunctions ? logic : 0)
        .vms(logicInFunctions ? 2 : MEMBERS + 1)
        .profile(NatProfile.LAMBDA)
        .build();
  }

  /** The host {@code role} runs on. */
  public String host(Role role) {
    int rank = role.ordinal();
    if (rank == 0) {
      return "vm1";
    }
    return logicInFunctions ? "fn" + rank : "vm" + (rank + 1);
  }

  /** The VM Redis runs on. */
  public String redisHost() {
    return "vm" + (logicInFunctions ? 2 : MEMBERS + 1);
  }

  /** The services, in the order the demo starts them and lists them (any order works: see start-service). */
  public static List<Role> roles() {
    return List.of(Role.values());
  }

  /**
   * The deployment named {@code label} or numbered 1..3.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static Deployment parse(String text) {
    for (Deployment d : values()) {
      if (d.label.equals(text) || Integer.toString(d.ordinal() + 1).equals(text)) {
        return d;
      }
    }
    throw new IllegalArgumentException("deployment : " + text + " (expected: 1, 2, 3 or vms, vms-boxer, "
        + "functions-boxer)");
  }
}
