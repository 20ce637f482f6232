package io.boxer.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AgentFlagTest {

  @Test
  void javaagent_isTheDefaultForm() {
    assertThat(ChildProcess.javaToolOptions("-Xmx1g", loading(AgentFlag.parse("--agent-flag", "javaagent"))))
        .isEqualTo("-Xmx1g -javaagent:/a.jar");
  }

  @Test
  void agentlib_loadsTheSameJarThroughLibinstrument() {
    assertThat(ChildProcess.javaToolOptions(null, loading(AgentFlag.parse("--agent-flag", "agentlib"))))
        .isEqualTo("-agentlib:instrument=/a.jar");
    assertThat(ChildProcess.javaToolOptions("-Xmx1g", loading(AgentFlag.AGENTLIB)))
        .isEqualTo("-Xmx1g -agentlib:instrument=/a.jar");
  }

  @Test
  void aClassDataArchive_comesBeforeTheAgent_forEitherForm() {
    assertThat(ChildProcess.javaToolOptions("-Xmx1g",
        new AgentLoading(Path.of("/a.jar"), AgentFlag.JAVAAGENT, Path.of("/opt/boxer/agent.jsa"))))
        .isEqualTo("-Xmx1g -XX:SharedArchiveFile=/opt/boxer/agent.jsa -javaagent:/a.jar");
    assertThat(ChildProcess.javaToolOptions(null,
        new AgentLoading(Path.of("/a.jar"), AgentFlag.AGENTLIB, Path.of("/opt/boxer/agent.jsa"))))
        .isEqualTo("-XX:SharedArchiveFile=/opt/boxer/agent.jsa -agentlib:instrument=/a.jar");
  }

  private static AgentLoading loading(AgentFlag flag) {
    return new AgentLoading(Path.of("/a.jar"), flag, null);
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
