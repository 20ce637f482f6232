package io.boxer.deathstar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostPortTest {
  @Test
  void parse_hostAndPort() {
    assertThat(HostPort.parse("k", "10.0.0.5:6379")).isEqualTo(new HostPort("10.0.0.5", 6379));
  }

  @Test
  void parse_bracketedIpv6() {
    HostPort parsed = HostPort.parse("k", "[fd00::1]:9001");
    assertThat(parsed).isEqualTo(new HostPort("fd00::1", 9001));
    assertThat(parsed).hasToString("[fd00::1]:9001");
  }

  @Test
  void parse_withoutPort_namesWhatAndValue() {
    assertThatThrownBy(() -> HostPort.parse("redis.address", "redis"))
        .hasMessage("redis.address : 'redis' (expected: HOST:PORT, e.g. 10.0.0.5:6379)");
  }

  @Test
  void parse_portOutOfRange_isRejected() {
    assertThatThrownBy(() -> HostPort.parse("k", "h:0")).hasMessageContaining("port 0 (expected: 1..65535)");
  }

  @Test
  void parse_portNotANumber_isRejected() {
    assertThatThrownBy(() -> HostPort.parse("k", "h:http")).hasMessageContaining("port that is not a number");
  }
}
