package io.boxer.examples.ownaddress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class UsageErrorTest {

  @Test
  void port_outOfRangeOrNotANumber_namesTheArgument() {
    assertThatThrownBy(() -> UsageError.port("PORT", "0")).hasMessage("PORT : 0 (expected: 1..65535)");
    assertThatThrownBy(() -> UsageError.port("PORT", "65536")).hasMessage("PORT : 65536 (expected: 1..65535)");
    assertThatThrownBy(() -> UsageError.port("PORT", "x")).hasMessage("PORT : x (expected: 1..65535)");
  }

  @Test
  void port_inRange_parsed() throws Exception {
    assertThat(UsageError.port("PORT", "65535")).isEqualTo(65535);
  }

  @Test
  void millis_outOfRange_namesTheArgument() throws Exception {
    assertThatThrownBy(() -> UsageError.millis("TIMEOUT_MS", "0")).hasMessage("TIMEOUT_MS : 0 (expected: 1..600000)");
    assertThat(UsageError.millis("TIMEOUT_MS", "20000")).isEqualTo(20000);
  }

  @Test
  void address_hostName_refusedWithoutLookup() {
    assertThatThrownBy(() -> UsageError.address("BIND_ADDRESS", "localhost"))
        .hasMessage("BIND_ADDRESS : localhost (expected: an IPv4 or IPv6 address)");
  }

  @Test
  void address_literals_parsed() throws Exception {
    assertThat(UsageError.address("BIND_ADDRESS", "198.18.0.101").getHostAddress()).isEqualTo("198.18.0.101");
    assertThat(UsageError.address("BIND_ADDRESS", "::1").isLoopbackAddress()).isTrue();
  }

  @Test
  void expectArgs_wrongCount_showsTheUsage() {
    assertThatThrownBy(() -> UsageError.expectArgs(new String[] {"a"}, 2, "CheckedBindServer BIND_ADDRESS PORT"))
        .hasMessage("usage: CheckedBindServer BIND_ADDRESS PORT");
  }
}
