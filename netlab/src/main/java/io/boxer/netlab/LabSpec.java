package io.boxer.netlab;

import java.util.Objects;

/**
 * What to build: the number of function and VM hosts, the NAT profile of every router, and the random loss
 * on every router's WAN link.
 *
 * <p>Invariants (checked by the constructor, so every instance is valid): {@code functions} and {@code vms}
 * are in {@code 0..50}; {@code profile} is not null; {@code lossPercent} is a finite number in
 * {@code 0..100}, where 0 means no loss rule at all. Delay is not part of the spec: this kernel has no netem,
 * and the userspace delayer comes with the bench issue.
 *
 * @param functions number of function hosts {@code fn1..fnK}, each behind its own NAT router
 * @param vms number of VM hosts {@code vm1..vmV} on the public segment
 * @param profile NAT behaviour of every router
 * @param lossPercent random loss in percent applied in both directions on every router's WAN link
 */
public record LabSpec(int functions, int vms, NatProfile profile, double lossPercent) {
  /** Upper bound for {@link #functions()}: the address plan gives each router WAN 198.18.0.(100+K). */
  public static final int MAX_FUNCTIONS = 50;
  /** Upper bound for {@link #vms()}: the address plan gives each VM 198.18.0.(10+I). */
  public static final int MAX_VMS = 50;

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
  }

  /** A builder with the CLI defaults: 2 functions, 1 VM, {@link NatProfile#LAMBDA}, no loss. */
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

    /** Builds a validated spec. */
    public LabSpec build() {
      return new LabSpec(functions, vms, profile, lossPercent);
    }
  }
}
