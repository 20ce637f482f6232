package io.boxer.node;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NodeConfigTest {
  private final InetSocketAddress seed = InetSocketAddress.createUnresolved("198.18.0.2", 7946);

  @Test
  void rejectsOutOfRangeControlPort() {
    assertThatThrownBy(() -> NodeConfig.forSeed(seed).withControlPort(70000))
        .hasMessage("controlPort : 70000 (expected: 0..65535, 0 = any)");
  }

  @Test
  void rejectsZeroJoinAttemptsAndNonPositiveDelay() {
    assertThatThrownBy(() -> NodeConfig.forSeed(seed).withJoinAttempts(0, Duration.ofMillis(1)))
        .hasMessage("joinAttempts : 0 (expected: >= 1)");
    assertThatThrownBy(() -> NodeConfig.forSeed(seed).withJoinAttempts(1, Duration.ZERO))
        .hasMessage("firstRetryDelay : PT0S (expected: > 0)");
  }

  @Test
  void rejectsSeedWithoutPort() {
    assertThatThrownBy(() -> NodeConfig.forSeed(InetSocketAddress.createUnresolved("seed", 0)))
        .hasMessage("seed.port : 0 (expected: 1..65535)");
  }
}
