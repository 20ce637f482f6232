package io.boxer.hostport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class HostPortTest {
  @Test
  void parse_readsHostAndPort() {
    assertThat(HostPort.parse("10.0.0.5:6379")).isEqualTo(new HostPort("10.0.0.5", 6379));
  }

  @Test
  void unresolved_isTheAddressWithoutResolvingIt() {
    InetSocketAddress address = HostPort.parse("198.18.0.2:7946").unresolved();

    assertThat(address.getHostString()).isEqualTo("198.18.0.2");
    assertThat(address.getPort()).isEqualTo(7946);
    assertThat(address.isUnresolved()).isTrue();
  }

  @Test
  void parse_acceptsBracketedIpv6_andToStringWritesItBack() {
    assertThat(HostPort.parse("[::1]:80").host()).isEqualTo("::1");
    HostPort parsed = HostPort.parse("[fd00::1]:9001");
    assertThat(parsed).isEqualTo(new HostPort("fd00::1", 9001));
    assertThat(parsed).hasToString("[fd00::1]:9001");
  }

  @Test
  void parse_rejectsMissingPortBadPortAndEmptyHost() {
    assertThatThrownBy(() -> HostPort.parse("seed")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'seed' (expected: HOST:PORT, e.g. 198.18.0.2:7946)");
    assertThatThrownBy(() -> HostPort.parse("seed:http")).hasMessageContaining("port is not a number");
    assertThatThrownBy(() -> HostPort.parse("seed:0")).hasMessageContaining("port 0 (expected: 1..65535)");
    assertThatThrownBy(() -> HostPort.parse("seed:65536")).hasMessageContaining("port 65536");
    assertThatThrownBy(() -> HostPort.parse(":7946")).hasMessageContaining("expected: HOST:PORT");
    assertThatThrownBy(() -> HostPort.parse("[]:7946")).hasMessageContaining("empty host");
  }

  @Test
  void parse_withAName_putsItFirst() {
    assertThatThrownBy(() -> HostPort.parse("redis.address", "redis"))
        .hasMessage("redis.address : 'redis' (expected: HOST:PORT, e.g. 198.18.0.2:7946)");
    assertThatThrownBy(() -> HostPort.parse("k", "h:0")).hasMessage("k : 'h:0': port 0 (expected: 1..65535)");
  }
}
