package io.boxer.deathstar.run;

import java.time.Duration;

/**
 * How the burst scenario adds logic-tier instances: as functions, which start at once (a new lab host behind a
 * lambda NAT, under {@code boxer run}, joining after the barrier), or as VMs, which first boot. The VM boot is
 * modeled as a wait before the instance starts; everything after it (JVM start, joining, serving) is real.
 */
public enum ScaleOut {
  FUNCTIONS("functions"),
  VMS("vms");

  private final String label;

  ScaleOut(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The modeled wait before a new instance starts: none for a function, the VM boot for a VM. */
  Duration bootDelay(Duration vmBoot) {
    return this == VMS ? vmBoot : Duration.ZERO;
  }

  /** The lab host of new instance {@code i} (0-based), after the hosts the functions deployment uses. */
  String host(int i) {
    return this == FUNCTIONS ? "fn" + (Deployment.MEMBERS + i) : "vm" + (3 + i);
  }

  /**
   * The variant named {@code text}.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static ScaleOut parse(String text) {
    for (ScaleOut s : values()) {
      if (s.label.equals(text)) {
        return s;
      }
    }
    throw new IllegalArgumentException("scale-out : " + text + " (expected: functions or vms)");
  }
}
