package io.boxer.examples.replicated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreOptionsTest {
  private static final Map<String, String> ENV = Map.of("BOXER_NODE_ID", "4", "BOXER_PEERS_FILE", "/tmp/peers");

  @Test
  void parse_onlyReplicas_takesTheDefaultsAndTheEnvironment() throws UsageException {
    StoreOptions options = StoreOptions.parse(new String[] {"--replicas", "3"}, ENV);

    assertThat(options).isEqualTo(new StoreOptions(4, Path.of("/tmp/peers"), 7400, "replica", 3,
        Duration.ofSeconds(60), Optional.empty(), Duration.ofSeconds(10), Map.of()));
  }

  @Test
  void parse_everyFlag_isTaken() throws UsageException {
    StoreOptions options = StoreOptions.parse(new String[] {"--replicas", "2", "--port", "9000",
        "--replica-role", "kv", "--wait-seconds", "5", "--exit-after-seconds", "30",
        "--replication-timeout-ms", "250", "--peer-port", "1=9001", "--peer-port", "2=9002"}, ENV);

    assertThat(options).isEqualTo(new StoreOptions(4, Path.of("/tmp/peers"), 9000, "kv", 2,
        Duration.ofSeconds(5), Optional.of(Duration.ofSeconds(30)), Duration.ofMillis(250),
        Map.of(1L, 9001, 2L, 9002)));
    assertThat(options.portOf(2)).isEqualTo(9002);
    assertThat(options.portOf(3)).isEqualTo(9000);
  }

  @Test
  void parse_badValues_sayWhichAndWhatWasExpected() {
    assertUsageError(ENV, "--replicas is required (expected: 1..64)");
    assertUsageError(ENV, "--replicas : 0 (expected: 1..64)", "--replicas", "0");
    assertUsageError(ENV, "--port : http (expected: 1..65535)", "--replicas", "1", "--port", "http");
    assertUsageError(ENV, "--port is given twice", "--replicas", "1", "--port", "1", "--port", "2");
    assertUsageError(ENV, "--peer-port : 1:9000 (expected: ID=PORT)", "--replicas", "1", "--peer-port", "1:9000");
    assertUsageError(ENV, "--replicas needs a value", "--replicas");
    assertUsageError(ENV, "unknown option --members (expected one of [", "--members", "3");
    assertUsageError(Map.of("BOXER_PEERS_FILE", "/tmp/peers"),
        "BOXER_NODE_ID : null (expected: this member's id; run under boxer run)", "--replicas", "1");
    assertUsageError(Map.of("BOXER_NODE_ID", "1"),
        "BOXER_PEERS_FILE is not set (expected: the peers file; run under boxer run)", "--replicas", "1");
  }

  private static void assertUsageError(Map<String, String> env, String message, String... args) {
    assertThatThrownBy(() -> StoreOptions.parse(args, env))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith(message);
  }
}
