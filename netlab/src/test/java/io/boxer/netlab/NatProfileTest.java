package io.boxer.netlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NatProfileTest {
  @Test
  void parse_ignoresCaseAndBlanks() {
    assertThat(NatProfile.parse("lambda")).isEqualTo(NatProfile.LAMBDA);
    assertThat(NatProfile.parse("STRICT")).isEqualTo(NatProfile.STRICT);
    assertThat(NatProfile.parse(" Symmetric ")).isEqualTo(NatProfile.SYMMETRIC);
  }

  @Test
  void parse_unknown_listsNames() {
    assertThatThrownBy(() -> NatProfile.parse("cone"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("profile : cone (expected: one of lambda, strict, symmetric)");
    assertThatThrownBy(() -> NatProfile.parse(null)).hasMessageStartingWith("profile : null");
  }

  @Test
  void profiles_matchDesign() {
    assertThat(NatProfile.LAMBDA.liberalTcp()).isTrue();
    assertThat(NatProfile.LAMBDA.randomPorts()).isFalse();
    assertThat(NatProfile.STRICT.liberalTcp()).isFalse();
    assertThat(NatProfile.STRICT.randomPorts()).isFalse();
    assertThat(NatProfile.SYMMETRIC.liberalTcp()).isTrue();
    assertThat(NatProfile.SYMMETRIC.randomPorts()).isTrue();
  }

  @Test
  void cliName_roundTrips() {
    for (NatProfile p : NatProfile.values()) {
      assertThat(NatProfile.parse(p.cliName())).isEqualTo(p);
    }
  }
}
