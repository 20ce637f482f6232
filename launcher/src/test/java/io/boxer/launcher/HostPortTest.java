package io.boxer.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

class HostPortTest {
  private final HostPort converter = new HostPort();

  @Test
  void convert_parsesHostAndPort() {
    InetSocketAddress address = converter.convert("198.18.0.2:7946");

    assertThat(address.getHostString()).isEqualTo("198.18.0.2");
    assertThat(address.getPort()).isEqualTo(7946);
  }

  @Test
  void convert_acceptsBracketedIpv6() {
    assertThat(converter.convert("[::1]:80").getHostString()).isEqualTo("::1");
  }

  @Test
  void convert_rejectsMissingPortBadPortAndEmptyHost() {
    assertThatThrownBy(() -> converter.convert("seed")).isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("expected: HOST:PORT");
    assertThatThrownBy(() -> converter.convert("seed:http")).hasMessageContaining("port is not a number");
    assertThatThrownBy(() -> converter.convert("seed:0")).hasMessageContaining("port 0 (expected: 1..65535)");
    assertThatThrownBy(() -> converter.convert("seed:65536")).hasMessageContaining("port 65536");
    assertThatThrownBy(() -> converter.convert(":7946")).hasMessageContaining("expected: HOST:PORT");
  }
}
