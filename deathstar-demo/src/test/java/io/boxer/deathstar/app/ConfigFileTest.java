package io.boxer.deathstar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {
  @TempDir Path dir;

  @Test
  void parse_skipsCommentsAndBlankLines_andTrims() {
    assertThat(ConfigFile.parse("f", List.of("# rendered", "", "  listen.port = 9001 ", "a.address=h:1")))
        .containsExactly(java.util.Map.entry("listen.port", "9001"), java.util.Map.entry("a.address", "h:1"));
  }

  @Test
  void parse_lineWithoutEquals_namesFileAndLine() {
    assertThatThrownBy(() -> ConfigFile.parse("svc.properties", List.of("listen.port=1", "oops")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("svc.properties: line 2: 'oops' (expected: key=value)");
  }

  @Test
  void parse_keyGivenTwice_isError() {
    assertThatThrownBy(() -> ConfigFile.parse("f", List.of("listen.port=1", "listen.port=2")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("key listen.port is given twice");
  }

  @Test
  void read_missingFile_saysSo() {
    Path missing = dir.resolve("none.properties");
    assertThatThrownBy(() -> ConfigFile.read(missing))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config file " + missing + " does not exist");
  }

  @Test
  void read_file_parsesIt() throws Exception {
    Path file = Files.writeString(dir.resolve("x.properties"), "redis.address=10.0.0.9:6379\n");
    assertThat(ConfigFile.read(file)).containsEntry("redis.address", "10.0.0.9:6379");
  }
}
