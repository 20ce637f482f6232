package io.boxer.netlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class LabNamesTest {
  @Test
  void namespace_isPrefixRunIdMember() {
    assertThat(LabNames.namespace("3fa2", "fn1")).isEqualTo("boxer-3fa2-fn1");
    assertThat(LabNames.namespace("3fa2", LabNames.nat(1))).isEqualTo("boxer-3fa2-nat1");
    assertThat(LabNames.namespace("3fa2", LabNames.PUBLIC)).isEqualTo("boxer-3fa2-pub");
    assertThat(LabNames.namespacePrefix("abcdef")).isEqualTo("boxer-abcdef-");
  }

  @Test
  void namespace_rejectsUnknownMember() {
    assertThatThrownBy(() -> LabNames.namespace("3fa2", "fn0")).hasMessageStartingWith("member : fn0");
    assertThatThrownBy(() -> LabNames.namespace("3fa2", "fn51")).hasMessageStartingWith("member : fn51");
    assertThatThrownBy(() -> LabNames.namespace("3fa2", "router")).hasMessageStartingWith("member : router");
  }

  @Test
  void checkRunId_acceptsFourToSixLowerHex() {
    assertThat(LabNames.checkRunId("0000")).isEqualTo("0000");
    assertThat(LabNames.checkRunId("abcdef")).isEqualTo("abcdef");
    for (String bad : new String[] {"abc", "abcdefa", "ABCD", "3fg2", "", "3f-2"}) {
      assertThatThrownBy(() -> LabNames.checkRunId(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("runId : " + bad + " (expected:");
    }
  }

  @RepeatedTest(20)
  void newRunId_isValid() {
    assertThat(LabNames.newRunId()).matches("[0-9a-f]{4}");
  }

  @Test
  void parse_splitsLabNamespaces() {
    LabNames.Parsed p = LabNames.parse("boxer-3fa2-nat12").orElseThrow();
    assertThat(p.runId()).isEqualTo("3fa2");
    assertThat(p.member()).isEqualTo("nat12");
    assertThat(p.role()).isEqualTo("nat");
    assertThat(p.index()).isEqualTo(12);
    assertThat(LabNames.parse("boxer-3fa2-seed").orElseThrow().index()).isZero();
  }

  @Test
  void parse_ignoresForeignNamespaces() {
    assertThat(LabNames.parse("boxer-3fa2")).isEmpty();
    assertThat(LabNames.parse("boxer-3FA2-fn1")).isEmpty();
    assertThat(LabNames.parse("other-3fa2-fn1")).isEmpty();
    assertThat(LabNames.parse("boxer-3fa2-fn1x")).isEmpty();
    assertThat(LabNames.parse("boxer-3fa2-fn01")).isEmpty();
  }
}
