package io.boxer.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class HostPortsTest {
  @Test
  void parse_readsHostAndPortWithoutResolving() {
    InetSocketAddress address = HostPorts.parse("198.18.0.2:7946");

    assertThat(address.getHostString()).isEqualTo("198.18.0.2");
    assertThat(address.getPort()).isEqualTo(7946);
    assertThat(address.isUnresolved()).isTrue();
  }

  @Test
  void parse_acceptsBracketedIpv6() {
    assertThat(HostPorts.parse("[::1]:80").getHostString()).isEqualTo("::1");
  }

  @Test
  void parse_rejectsMissingPortBadPortAndEmptyHost() {
    assertThatThrownBy(() -> HostPorts.parse("seed")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: HOST:PORT");
    assertThatThrownBy(() -> HostPorts.parse("seed:http")).hasMessageContaining("port is not a number");
    assertThatThrownBy(() -> HostPorts.parse("seed:0")).hasMessageContaining("port 0 (expected: 1..65535)");
    assertThatThrownBy(() -> HostPorts.parse("seed:65536")).hasMessageContaining("port 65536");
    assertThatThrownBy(() -> HostPorts.parse(":7946")).hasMessageContaining("expected: HOST:PORT");
    assertThatThrownBy(() -> HostPorts.parse("[]:7946")).hasMessageContaining("empty host");
  }
}
