package io.boxer.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.proto.v1.ConnectionPolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

class PolicyFileTest {
  @Test
  void parse_readsRulesPortsAndWildcards() {
    ConnectionPolicy policy = PolicyFile.parse("p", List.of(
        "# comment",
        "frontend -> logic : 9001-9008, 7000",
        "",
        "  * -> cache:6379   # trailing comment",
        "admin -> *"));

    assertThat(policy.getRulesList()).hasSize(3);
    assertThat(policy.getRules(0).getFromRole()).isEqualTo("frontend");
    assertThat(policy.getRules(0).getToRole()).isEqualTo("logic");
    assertThat(policy.getRules(0).getPortsList()).extracting(r -> r.getFirst() + "-" + r.getLast())
        .containsExactly("9001-9008", "7000-7000");
    assertThat(policy.getRules(1).getFromRole()).isEqualTo("*");
    assertThat(policy.getRules(1).getPorts(0).getFirst()).isEqualTo(6379);
    assertThat(policy.getRules(2).getPortsList()).isEmpty();
  }

  @Test
  void parse_namesTheLineOfEveryMistake() {
    assertThatThrownBy(() -> PolicyFile.parse("p", List.of("a -> b", "a b")))
        .hasMessage("p:2: 'a b' (expected: FROM-ROLE -> TO-ROLE [: PORTS])");
    assertThatThrownBy(() -> PolicyFile.parse("p", List.of("A -> b")))
        .hasMessageStartingWith("p:1: role 'A'");
    assertThatThrownBy(() -> PolicyFile.parse("p", List.of("a -> b : 70000")))
        .hasMessage("p:1: port '70000' (expected: 1..65535)");
    assertThatThrownBy(() -> PolicyFile.parse("p", List.of("a -> b : 9-3")))
        .hasMessage("p:1: ports '9-3' (expected: FIRST <= LAST)");
    assertThatThrownBy(() -> PolicyFile.parse("p", List.of("# nothing")))
        .hasMessageStartingWith("p: no rules");
  }
}
