package io.boxer.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.launcher.AgentFlag;
import org.junit.jupiter.api.Test;

class AgentFlagSettingTest {

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
}
