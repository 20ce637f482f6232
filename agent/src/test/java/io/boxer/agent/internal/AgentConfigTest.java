package io.boxer.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class AgentConfigTest {

  @Test
  void parse_defaults() {
    AgentConfig config = AgentConfig.parse("/run/boxer/agent.sock", null);
    assertThat(config.socketPath()).isEqualTo(Path.of("/run/boxer/agent.sock"));
    assertThat(config.primeTimeoutMillis()).isEqualTo(10_000);
    assertThat(config.firstViewWaitMillis()).isEqualTo(5000);
  }

  @Test
  void parse_timeoutProperty() {
    assertThat(AgentConfig.parse("/s", " 250 ").primeTimeoutMillis()).isEqualTo(250);
  }

  @Test
  void parse_nonNumericTimeout_namesKeyValueAndExpectation() {
    assertThatThrownBy(() -> AgentConfig.parse("/s", "5s"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("boxer.prime.timeout.ms : '5s' (expected: milliseconds, an integer in 1..600000)");
  }

  @Test
  void parse_outOfRangeTimeout_rejected() {
    assertThatThrownBy(() -> AgentConfig.parse("/s", "0")).hasMessageContaining("boxer.prime.timeout.ms : 0");
    assertThatThrownBy(() -> AgentConfig.parse("/s", "600001")).hasMessageContaining("600001");
  }

  @Test
  void parse_blankSocket_rejected() {
    assertThatThrownBy(() -> AgentConfig.parse(" ", null)).hasMessageStartingWith("BOXER_AGENT_SOCKET : ' '");
  }

  @Test
  void parse_invalidPath_rejected() {
    assertThatThrownBy(() -> AgentConfig.parse("bad\0path", null))
        .hasMessageStartingWith("BOXER_AGENT_SOCKET : ");
  }

  @Test
  void parse_warmPorts_defaultsOnAndValidated() {
    assertThat(AgentConfig.parse("/s", null).warm()).isEqualTo(WarmSettings.DEFAULT);
    assertThat(WarmSettings.DEFAULT.enabled()).isTrue();
    assertThat(AgentConfig.parse("/s", null, "0", null).warm().enabled()).isFalse();
    assertThat(AgentConfig.parse("/s", null, " 16 ", "1000").warm()).isEqualTo(new WarmSettings(16, 1000));
    assertThatThrownBy(() -> AgentConfig.parse("/s", null, "17", null))
        .hasMessage("boxer.warm.ports : 17 (expected: ports per member endpoint, 0 = off, an integer in 0..16)");
    assertThatThrownBy(() -> AgentConfig.parse("/s", null, "on", null))
        .hasMessage("boxer.warm.ports : 'on' (expected: ports per member endpoint, 0 = off, an integer in 0..16)");
    assertThatThrownBy(() -> AgentConfig.parse("/s", null, null, "999"))
        .hasMessage("boxer.warm.refresh.ms : 999 (expected: milliseconds, an integer in 1000..60000)");
  }
}
