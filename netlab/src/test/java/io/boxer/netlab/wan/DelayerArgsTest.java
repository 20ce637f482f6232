package io.boxer.netlab.wan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DelayerArgsTest {
  @Test
  void parse_takesOptionsAndNamespaces() {
    DelayerArgs a = DelayerArgs.parse(new String[] {"--status-file", "/run/s.json", "--one-way-micros", "250",
        "/run/netns/a", "--jitter-micros", "20", "/run/netns/b"});
    assertThat(a).isEqualTo(new DelayerArgs(Path.of("/run/s.json"), 250, 20, WanDelayer.DEFAULT_CAPACITY,
        List.of("/run/netns/a", "/run/netns/b")));
  }

  @Test
  void parse_refusesWhatItCannotServe_withTheExpectation() {
    assertThatThrownBy(() -> DelayerArgs.parse(new String[] {"--one-way-micros", "250", "/run/netns/a"}))
        .hasMessage("--status-file : missing (expected: a file path)");
    assertThatThrownBy(() -> DelayerArgs.parse(new String[] {"--status-file", "s", "--one-way-micros", "0", "n"}))
        .hasMessage("--one-way-micros : 0 (expected: 1..1000000)");
    assertThatThrownBy(() -> DelayerArgs.parse(new String[] {"--status-file", "s", "--one-way-micros", "5",
        "--jitter-micros", "6", "n"})).hasMessage("--jitter-micros : 6 (expected: 0..5, at most the one-way delay)");
    assertThatThrownBy(() -> DelayerArgs.parse(new String[] {"--status-file", "s", "--one-way-micros", "5"}))
        .hasMessage("namespaces : none (expected: at least one NETNS_PATH)");
    assertThatThrownBy(() -> DelayerArgs.parse(new String[] {"--status-file", "s", "--one-way-micros", "x", "n"}))
        .hasMessage("--one-way-micros : x (expected: a whole number)");
    assertThatThrownBy(() -> DelayerArgs.parse(new String[] {"--status-file", "s", "--capacity"}))
        .hasMessage("--capacity : no value (expected: --capacity VALUE)");
    assertThatThrownBy(() -> DelayerArgs.parse(new String[] {"--queue", "1"}))
        .hasMessageStartingWith("--queue : unknown option");
  }
}
