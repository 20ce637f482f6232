package io.boxer.netlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LabSpecTest {
  @Test
  void builder_hasCliDefaults() {
    LabSpec s = LabSpec.builder().build();
    assertThat(s).isEqualTo(new LabSpec(2, 1, NatProfile.LAMBDA, 0));
  }

  @Test
  void builder_setsEveryField() {
    LabSpec s = LabSpec.builder().functions(50).vms(0).profile(NatProfile.STRICT).lossPercent(100)
        .natEstablishedTimeoutSeconds(5).build();
    assertThat(s).isEqualTo(new LabSpec(50, 0, NatProfile.STRICT, 100, 5));
  }

  @Test
  void functions_outOfRange_namesValueAndRange() {
    assertThatThrownBy(() -> LabSpec.builder().functions(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("functions : -1 (expected: 0..50)");
    assertThatThrownBy(() -> LabSpec.builder().functions(51).build())
        .hasMessage("functions : 51 (expected: 0..50)");
  }

  @Test
  void functionsPerNat_defaultsToARouterPerFunction() {
    assertThat(LabSpec.builder().build().functionsPerNat()).isEqualTo(1);
    assertThat(new LabSpec(2, 1, NatProfile.LAMBDA, 0, 0, VmFirewall.DROP).functionsPerNat()).isEqualTo(1);
    assertThat(LabSpec.builder().functions(3).functionsPerNat(2).build())
        .isEqualTo(new LabSpec(3, 1, NatProfile.LAMBDA, 0, 0, VmFirewall.DROP, 2));
  }

  @Test
  void functionsPerNat_outOfRange_namesValueAndRange() {
    assertThatThrownBy(() -> LabSpec.builder().functionsPerNat(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("functionsPerNat : 0 (expected: 1..50)");
    assertThatThrownBy(() -> LabSpec.builder().functionsPerNat(51).build())
        .hasMessage("functionsPerNat : 51 (expected: 1..50)");
    // more per router than there are functions is one router with all of them
    assertThat(LabSpec.builder().functions(2).functionsPerNat(50).build().functionsPerNat()).isEqualTo(50);
  }

  @Test
  void vms_outOfRange_namesValueAndRange() {
    assertThatThrownBy(() -> new LabSpec(0, 51, NatProfile.LAMBDA, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("vms : 51 (expected: 0..50)");
  }

  @Test
  void loss_outOfRangeOrNaN_isRejected() {
    assertThatThrownBy(() -> new LabSpec(1, 1, NatProfile.LAMBDA, -0.5))
        .hasMessage("lossPercent : -0.5 (expected: 0..100)");
    assertThatThrownBy(() -> new LabSpec(1, 1, NatProfile.LAMBDA, 100.1))
        .hasMessage("lossPercent : 100.1 (expected: 0..100)");
    assertThatThrownBy(() -> new LabSpec(1, 1, NatProfile.LAMBDA, Double.NaN))
        .hasMessage("lossPercent : NaN (expected: 0..100)");
  }

  @Test
  void fourFieldSpec_keepsTheKernelsEstablishedTimeout() {
    assertThat(new LabSpec(1, 1, NatProfile.LAMBDA, 0).natEstablishedTimeoutSeconds()).isZero();
  }

  @Test
  void natEstablishedTimeout_outOfRange_namesValueAndRange() {
    assertThatThrownBy(() -> LabSpec.builder().natEstablishedTimeoutSeconds(-1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("natEstablishedTimeoutSeconds : -1 (expected: 0 for the kernel default, or 1..432000)");
    assertThatThrownBy(() -> new LabSpec(1, 1, NatProfile.LAMBDA, 0, 432_001))
        .hasMessage("natEstablishedTimeoutSeconds : 432001 (expected: 0 for the kernel default, or 1..432000)");
    assertThat(new LabSpec(1, 1, NatProfile.LAMBDA, 0, 432_000).natEstablishedTimeoutSeconds()).isEqualTo(432_000);
  }

  @Test
  void profile_null_isRejected() {
    assertThatThrownBy(() -> new LabSpec(1, 1, null, 0))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("profile : null");
  }

  @Test
  void vmFirewall_defaultsToDrop_andNullIsRejected() {
    assertThat(LabSpec.builder().build().vmFirewall()).isEqualTo(VmFirewall.DROP);
    assertThat(new LabSpec(1, 1, NatProfile.LAMBDA, 0, 0).vmFirewall()).isEqualTo(VmFirewall.DROP);
    assertThat(LabSpec.builder().vmFirewall(VmFirewall.NONE).build().vmFirewall()).isEqualTo(VmFirewall.NONE);
    assertThatThrownBy(() -> LabSpec.builder().vmFirewall(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("vmFirewall : null (expected: one of drop, none)");
  }

  @Test
  void vmFirewall_parse_ignoresCaseAndNamesTheAcceptedValues() {
    assertThat(VmFirewall.parse(" None ")).isEqualTo(VmFirewall.NONE);
    assertThatThrownBy(() -> VmFirewall.parse("reject"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("vm-firewall : reject (expected: one of drop, none)");
  }
}
