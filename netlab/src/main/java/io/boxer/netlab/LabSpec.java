package io.boxer.netlab;

import java.util.Objects;

/**
 * What to build: the number of function and VM hosts, the NAT profile of every router, the random loss on
 * every router's WAN link, how long every router keeps an idle established TCP mapping, whether the VMs
 * have a firewall, how many function hosts share one NAT router, and the WAN's delay and rate cap.
 *
 * <p>Invariants (checked by the constructor, so every instance is valid): {@code functions} and {@code vms}
 * are in {@code 0..50}; {@code functionsPerNat} is in {@code 1..50}; {@code profile} is not null;
 * {@code lossPercent} is a finite number in {@code 0..100}, where 0 means no loss rule at all;
 * {@code natEstablishedTimeoutSeconds} is 0 (the kernel's default, 5 days) or in {@code 1..432000};
 * {@code vmFirewall} and {@code wan} are not null.
 *
 * @param functions number of function hosts {@code fn1..fnK}, behind NAT routers as {@code functionsPerNat} says
 * @param vms number of VM hosts {@code vm1..vmV} on the public segment
 * @param profile NAT behaviour of every router
 * @param lossPercent random loss in percent applied in both directions on every router's WAN link
 * @param natEstablishedTimeoutSeconds how long every router keeps the conntrack entry (and so the NAT
 *     mapping) of an established TCP connection that carries no packet, in seconds: the router namespace's
 *     {@code net.netfilter.nf_conntrack_tcp_timeout_established}, a per-namespace setting. Real NATs forget
 *     idle connections much sooner than Linux does (AWS NAT gateways after 350 s), so a lab that shortens it
 *     shows whether keepalives hold the mappings open. 0 leaves the kernel's default (432000 s, 5 days)
 * @param vmFirewall what every VM host does with unsolicited inbound packets: drop them (a default security
 *     group, as on AWS) or let its kernel answer them (no firewall: a stray SYN gets a RST)
 * @param functionsPerNat how many function hosts share one NAT router, and so one external address:
 *     {@code fn1..fnN} sit behind {@code nat1}, {@code fnN+1..fn2N} behind {@code nat2}, and so on (the last
 *     router may have fewer). 1, the default, gives every function a router of its own
 * @param wan the round trip added across the public segment, its jitter and every function's rate cap
 *     ({@link WanSpec}); {@link WanSpec#NONE}, the default, adds nothing and starts no delayer
 */
public record LabSpec(int functions, int vms, NatProfile profile, double lossPercent,
    int natEstablishedTimeoutSeconds, VmFirewall vmFirewall, int functionsPerNat, WanSpec wan) {
  /** Upper bound for {@link #functions()}: at most one router per function, router J at WAN 198.18.0.(100+J). */
  public static final int MAX_FUNCTIONS = 50;
  /** Upper bound for {@link #vms()}: the address plan gives each VM 198.18.0.(10+I). */
  public static final int MAX_VMS = 50;
  /**
   * Upper bound for {@link #natEstablishedTimeoutSeconds()}: the kernel's own default; a lab only ever
   * shortens it.
   */
  public static final int MAX_NAT_ESTABLISHED_TIMEOUT_SECONDS = 432_000;

  /** Validates every field; see the class invariants. */
  public LabSpec {
    if (functions < 0 || functions > MAX_FUNCTIONS) {
      throw new IllegalArgumentException(
          "functions : " + functions + " (expected: 0.." + MAX_FUNCTIONS + ")");
    }
    if (vms < 0 || vms > MAX_VMS) {
      throw new IllegalArgumentException("vms : " + vms + " (expected: 0.." + MAX_VMS + ")");
    }
    Objects.requireNonNull(profile, "profile : null (expected: one of " + NatProfile.names() + ")");
    if (!(lossPercent >= 0 && lossPercent <= 100)) { // also rejects NaN
      throw new IllegalArgumentException("lossPercent : " + lossPercent + " (expected: 0..100)");
    }
    if (natEstablishedTimeoutSeconds < 0 || natEstablishedTimeoutSeconds > MAX_NAT_ESTABLISHED_TIMEOUT_SECONDS) {
      throw new IllegalArgumentException("natEstablishedTimeoutSeconds : " + natEstablishedTimeoutSeconds
          + " (expected: 0 for the kernel default, or 1.." + MAX_NAT_ESTABLISHED_TIMEOUT_SECONDS + ")");
    }
    Objects.requireNonNull(vmFirewall, "vmFirewall : null (expected: one of " + VmFirewall.names() + ")");
    new NatGroups(functionsPerNat); // checks 1..MAX_FUNCTIONS, with the message of the other fields
    Objects.requireNonNull(wan, "wan : null (expected: a WanSpec, WanSpec.NONE for none)");
  }

  /** A spec without added delay or rate cap ({@link WanSpec#NONE}). */
  public LabSpec(int functions, int vms, NatProfile profile, double lossPercent,
      int natEstablishedTimeoutSeconds, VmFirewall vmFirewall, int functionsPerNat) {
    this(functions, vms, profile, lossPercent, natEstablishedTimeoutSeconds, vmFirewall, functionsPerNat,
        WanSpec.NONE);
  }

  /** A spec where every function host has a NAT router of its own. */
  public LabSpec(int functions, int vms, NatProfile profile, double lossPercent,
      int natEstablishedTimeoutSeconds, VmFirewall vmFirewall) {
    this(functions, vms, profile, lossPercent, natEstablishedTimeoutSeconds, vmFirewall, 1);
  }

  /** Which router each function host sits behind, and how many routers there are. */
  NatGroups natGroups() {
    return new NatGroups(functionsPerNat);
  }

  /** A spec whose VMs sit in a default security group ({@link VmFirewall#DROP}). */
  public LabSpec(int functions, int vms, NatProfile profile, double lossPercent,
      int natEstablishedTimeoutSeconds) {
    this(functions, vms, profile, lossPercent, natEstablishedTimeoutSeconds, VmFirewall.DROP);
  }

  /** A spec whose routers keep the kernel's established TCP timeout; validated like the canonical one. */
  public LabSpec(int functions, int vms, NatProfile profile, double lossPercent) {
    this(functions, vms, profile, lossPercent, 0);
  }

  /**
   * A builder with the CLI defaults: 2 functions, 1 VM, {@link NatProfile#LAMBDA}, no loss, the kernel's
   * established TCP timeout, VMs in a default security group, a NAT router per function, no WAN delay or cap.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Mutable builder; not thread-safe. {@link #build()} validates, so invalid values fail there with the
   * same messages as the record constructor.
   */
  public static final class Builder {
    private int functions = 2;
    private int vms = 1;
    private NatProfile profile = NatProfile.LAMBDA;
    private double lossPercent;
    private int natEstablishedTimeoutSeconds;
    private VmFirewall vmFirewall = VmFirewall.DROP;
    private int functionsPerNat = 1;
    private WanSpec wan = WanSpec.NONE;

    private Builder() {}

    /** Number of function hosts, {@code 0..50}. */
    public Builder functions(int functions) {
      this.functions = functions;
      return this;
    }

    /** Number of VM hosts, {@code 0..50}. */
    public Builder vms(int vms) {
      this.vms = vms;
      return this;
    }

    /** NAT profile of every router. */
    public Builder profile(NatProfile profile) {
      this.profile = profile;
      return this;
    }

    /** Random loss on every WAN link in percent, {@code 0..100}; 0 means none. */
    public Builder lossPercent(double lossPercent) {
      this.lossPercent = lossPercent;
      return this;
    }

    /**
     * How long every NAT router keeps an idle established TCP connection's mapping, in seconds,
     * {@code 1..432000}; 0 (the default) leaves the kernel's 432000 s. See {@link
     * LabSpec#natEstablishedTimeoutSeconds()}.
     */
    public Builder natEstablishedTimeoutSeconds(int seconds) {
      this.natEstablishedTimeoutSeconds = seconds;
      return this;
    }

    /** What every VM does with unsolicited inbound packets; {@link VmFirewall#DROP} by default. */
    public Builder vmFirewall(VmFirewall vmFirewall) {
      this.vmFirewall = vmFirewall;
      return this;
    }

    /**
     * How many function hosts share one NAT router, {@code 1..50}; 1 (the default) gives each its own. See
     * {@link LabSpec#functionsPerNat()}.
     */
    public Builder functionsPerNat(int functionsPerNat) {
      this.functionsPerNat = functionsPerNat;
      return this;
    }

    /** The WAN's delay, jitter and rate cap; {@link WanSpec#NONE} by default. See {@link LabSpec#wan()}. */
    public Builder wan(WanSpec wan) {
      this.wan = wan;
      return this;
    }

    /** Builds a validated spec. */
    public LabSpec build() {
      return new LabSpec(
          functions, vms, profile, lossPercent, natEstablishedTimeoutSeconds, vmFirewall, functionsPerNat, wan);
    }
  }
}
