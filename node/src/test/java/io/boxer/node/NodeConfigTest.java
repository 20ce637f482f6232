package io.boxer.node;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.control.tls.JoinToken;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NodeConfigTest {
  private static final JoinToken TOKEN = JoinToken.parse("boxer_node-config-test-0123456789ab");
  private final InetSocketAddress seed = InetSocketAddress.createUnresolved("198.18.0.2", 7946);

  @Test
  void rejectsOutOfRangeControlPort() {
    assertThatThrownBy(() -> NodeConfig.forSeed(seed, TOKEN).withControlPort(70000))
        .hasMessage("controlPort : 70000 (expected: 0..65535, 0 = any)");
  }

  @Test
  void rejectsZeroJoinAttemptsAndNonPositiveDelay() {
    assertThatThrownBy(() -> NodeConfig.forSeed(seed, TOKEN).withJoinAttempts(0, Duration.ofMillis(1)))
        .hasMessage("joinAttempts : 0 (expected: >= 1)");
    assertThatThrownBy(() -> NodeConfig.forSeed(seed, TOKEN).withJoinAttempts(1, Duration.ZERO))
        .hasMessage("firstRetryDelay : PT0S (expected: > 0)");
  }

  @Test
  void rejectsSeedWithoutPort() {
    assertThatThrownBy(() -> NodeConfig.forSeed(InetSocketAddress.createUnresolved("seed", 0), TOKEN))
        .hasMessage("seed.port : 0 (expected: 1..65535)");
  }

  @Test
  void rejectsABadRole() {
    assertThatThrownBy(() -> NodeConfig.forSeed(seed, TOKEN).withRole("Web Tier"))
        .hasMessageStartingWith("role : 'Web Tier' (expected:");
  }
}
