package io.boxer.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import picocli.CommandLine.TypeConversionException;

/** The picocli face of {@link io.boxer.hostport.HostPort}; the parsing itself is tested there. */
class HostPortConverterTest {
  private final HostPortConverter converter = new HostPortConverter();

  @Test
  void convert_parsesHostAndPort() {
    assertThat(converter.convert("198.18.0.2:7946").getPort()).isEqualTo(7946);
  }

  @Test
  void convert_turnsBadInputIntoATypeConversionError() {
    assertThatThrownBy(() -> converter.convert("seed")).isInstanceOf(TypeConversionException.class)
        .hasMessageContaining("expected: HOST:PORT");
  }
}
