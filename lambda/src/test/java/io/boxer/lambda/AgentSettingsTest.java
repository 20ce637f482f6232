package io.boxer.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.launcher.AgentFlag;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentSettingsTest {
  @TempDir Path dir;

  @Test
  void agentFlag_unsetOrBlank_isJavaagent_whichWorksInEveryJvm() {
    assertThat(BoxerFunctionHandler.agentFlag(null)).isEqualTo(AgentFlag.JAVAAGENT);
    assertThat(BoxerFunctionHandler.agentFlag(" ")).isEqualTo(AgentFlag.JAVAAGENT);
  }

  @Test
  void agentFlag_namesEitherForm() {
    assertThat(BoxerFunctionHandler.agentFlag("agentlib")).isEqualTo(AgentFlag.AGENTLIB);
    assertThat(BoxerFunctionHandler.agentFlag("javaagent")).isEqualTo(AgentFlag.JAVAAGENT);
  }

  @Test
  void agentFlag_anythingElse_failsTheInvocationNamingTheVariable() {
    assertThatThrownBy(() -> BoxerFunctionHandler.agentFlag("agentpath"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("BOXER_AGENT_FLAG : 'agentpath' (expected: javaagent or agentlib)");
  }

  @Test
  void classDataArchive_unsetOrBlank_isNone_andAnythingButAnArchive_failsTheInvocationNamingTheVariable()
      throws IOException {
    assertThat(BoxerFunctionHandler.classDataArchive(null)).isNull();
    assertThat(BoxerFunctionHandler.classDataArchive("")).isNull();
    Path text = Files.writeString(dir.resolve("agent.jsa"), "text");
    assertThatThrownBy(() -> BoxerFunctionHandler.classDataArchive(text.toString()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("BOXER_CLASS_DATA_ARCHIVE : " + text + " is not a static CDS archive");
  }
}
