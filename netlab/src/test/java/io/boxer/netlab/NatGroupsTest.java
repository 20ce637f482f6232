package io.boxer.netlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class NatGroupsTest {
  private final NatGroups pairs = new NatGroups(2);

  @Test
  void natOf_fillsEachRouterInTurn() {
    assertThat(pairs.natOf(1)).isEqualTo(1);
    assertThat(pairs.natOf(2)).isEqualTo(1);
    assertThat(pairs.natOf(3)).isEqualTo(2);
    assertThat(pairs.natOf(50)).isEqualTo(25);
  }

  @Test
  void oneEach_isARouterPerFunction() {
    for (int k = 1; k <= LabSpec.MAX_FUNCTIONS; k++) {
      assertThat(NatGroups.ONE_EACH.natOf(k)).isEqualTo(k);
    }
    assertThat(NatGroups.ONE_EACH.nats(7)).isEqualTo(7);
  }

  @Test
  void nats_roundsUp_soTheLastRouterMayHaveFewer() {
    assertThat(pairs.nats(0)).isZero();
    assertThat(pairs.nats(3)).isEqualTo(2);
    assertThat(pairs.nats(4)).isEqualTo(2);
    assertThat(pairs.functionsBehind(1, 3)).containsExactly(1, 2);
    assertThat(pairs.functionsBehind(2, 3)).containsExactly(3);
    assertThat(new NatGroups(50).functionsBehind(1, 3)).containsExactly(1, 2, 3);
  }

  @Test
  void everyFunction_isBehindExactlyTheRouterNatOfNames() {
    for (int perNat = 1; perNat <= LabSpec.MAX_FUNCTIONS; perNat++) {
      NatGroups groups = new NatGroups(perNat);
      for (int functions = 0; functions <= LabSpec.MAX_FUNCTIONS; functions++) {
        int seen = 0;
        for (int j = 1; j <= groups.nats(functions); j++) {
          for (int k : groups.functionsBehind(j, functions)) {
            assertThat(groups.natOf(k)).as("fn%d, %d per NAT", k, perNat).isEqualTo(j);
            assertThat(k).isEqualTo(++seen);
          }
        }
        assertThat(seen).isEqualTo(functions);
      }
    }
  }

  @Test
  void outOfRange_isRejected() {
    assertThatThrownBy(() -> new NatGroups(0)).hasMessage("functionsPerNat : 0 (expected: 1..50)");
    assertThatThrownBy(() -> pairs.natOf(0)).hasMessage("function : 0 (expected: 1..50)");
    assertThatThrownBy(() -> pairs.functionsBehind(3, 4)).hasMessage("nat : 3 (expected: 1..2)");
    assertThatThrownBy(() -> pairs.nats(51)).hasMessage("functions : 51 (expected: 0..50)");
  }
}
