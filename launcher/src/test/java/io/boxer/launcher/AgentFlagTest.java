package io.boxer.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AgentFlagTest {

  @Test
  void javaagent_isTheDefaultForm() {
    assertThat(ChildProcess.javaToolOptions("-Xmx1g", "/a.jar", AgentFlag.parse("--agent-flag", "javaagent")))
        .isEqualTo("-Xmx1g -javaagent:/a.jar");
  }

  @Test
  void agentlib_loadsTheSameJarThroughLibinstrument() {
    assertThat(ChildProcess.javaToolOptions(null, "/a.jar", AgentFlag.parse("--agent-flag", "agentlib")))
        .isEqualTo("-agentlib:instrument=/a.jar");
    assertThat(ChildProcess.javaToolOptions("-Xmx1g", "/a.jar", AgentFlag.AGENTLIB))
        .isEqualTo("-Xmx1g -agentlib:instrument=/a.jar");
  }

  @Test
  void parse_otherValue_namesOptionValueAndExpectation() {
    assertThatThrownBy(() -> AgentFlag.parse("--agent-flag", "JAVAAGENT"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("--agent-flag : 'JAVAAGENT' (expected: javaagent or agentlib)");
    assertThatThrownBy(() -> AgentFlag.parse("--agent-flag", ""))
        .hasMessage("--agent-flag : '' (expected: javaagent or agentlib)");
  }
}
