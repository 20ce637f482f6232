package io.boxer.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.boxer.control.tls.JoinToken;
import io.boxer.node.BoxerNode;
import io.boxer.node.JoinException;
import io.boxer.node.NodeConfig;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A real node joining a real seed over loopback and TLS: every node comes from 127.0.0.1, so the second one is
 * several members behind one address.
 */
class NodeJoinTest {
  private static final JoinToken TOKEN = JoinToken.parse("boxer_node-join-test-0123456789abcd");

  private static SeedServer seed() throws Exception {
    return seed(VirtualRange.parse("198.19.254.0/24"));
  }

  private static SeedServer seed(VirtualRange range) throws Exception {
    return new SeedServer(SeedConfig.of(new InetSocketAddress("127.0.0.1", 0), TOKEN).withVirtualRange(range))
        .start();
  }

  private static NodeConfig config(SeedServer seed, JoinToken token) {
    return NodeConfig.forSeed(new InetSocketAddress("127.0.0.1", seed.port()), token);
  }

  @Test
  void join_reflectsTheObservedAddress_andGivesASecondNodeOnItAVirtualOne_reachedThroughTheRelay() throws Exception {
    try (SeedServer seed = seed();
        BoxerNode first = new BoxerNode(config(seed, TOKEN));
        BoxerNode second = new BoxerNode(config(seed, TOKEN))) {
      first.start();
      assertThat(first.self().id()).isPositive();
      assertThat(first.self().externalIp().getHostAddress()).isEqualTo("127.0.0.1");
      assertThat(first.members()).hasSize(1);
      assertThat(first.awaitMesh(1, Duration.ofSeconds(5), n -> {})).isTrue();

      second.start();

      assertThat(second.self().externalIp().getHostAddress()).isEqualTo("198.19.254.1");
      assertThat(second.self().relayOnly()).isTrue();
      assertThat(second.awaitMesh(2, Duration.ofSeconds(20), n -> {})).isTrue();
      assertThat(first.awaitMesh(2, Duration.ofSeconds(20), n -> {})).isTrue();
    }
  }

  @Test
  void join_ofASecondNodeOnOneAddress_withoutAVirtualRange_isRefused() throws Exception {
    try (SeedServer seed = seed(null);
        BoxerNode first = new BoxerNode(config(seed, TOKEN));
        BoxerNode second = new BoxerNode(config(seed, TOKEN))) {
      first.start();
      assertThatThrownBy(second::start)
          .isInstanceOfSatisfying(JoinException.class, e -> assertThat(e.rejected()).isTrue())
          .hasMessageContaining("127.0.0.1 is already member " + first.self().id());
    }
  }

  @Test
  void join_withAnotherToken_isRefusedAtOnce_withoutRetrying() throws Exception {
    try (SeedServer seed = seed();
        BoxerNode stranger = new BoxerNode(config(seed, JoinToken.parse("boxer_not-the-cluster-token-012345"))
            .withJoinAttempts(6, Duration.ofSeconds(1)))) {
      long start = System.nanoTime();
      assertThatThrownBy(stranger::start)
          .isInstanceOfSatisfying(JoinException.class, e -> assertThat(e.rejected()).isTrue())
          .hasMessageContaining("join token differs from the seed's");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(1));
      assertThat(seed.members()).isZero();
    }
  }

  @Test
  void join_freesTheAddressWhenTheNodeLeaves() throws Exception {
    try (SeedServer seed = seed()) {
      long firstId;
      try (BoxerNode first = new BoxerNode(config(seed, TOKEN))) {
        first.start();
        firstId = first.self().id();
      }
      await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(seed.members()).isZero());
      try (BoxerNode again = new BoxerNode(config(seed, TOKEN))) {
        again.start();
        assertThat(again.self().id()).isGreaterThan(firstId);
      }
    }
  }

  @Test
  void join_givesUpOnAnUnreachableSeedAfterTheConfiguredAttempts() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    NodeConfig config = NodeConfig.forSeed(new InetSocketAddress("127.0.0.1", closedPort), TOKEN)
        .withJoinAttempts(3, Duration.ofMillis(10));
    try (BoxerNode node = new BoxerNode(config)) {
      assertThatThrownBy(node::start)
          .isInstanceOfSatisfying(JoinException.class, e -> assertThat(e.rejected()).isFalse())
          .hasMessageStartingWith("cannot reach the seed after 3 attempts: UNAVAILABLE");
    }
  }

  @Test
  void start_twice_fails() throws Exception {
    try (SeedServer seed = seed(); BoxerNode node = new BoxerNode(config(seed, TOKEN))) {
      node.start();
      assertThatThrownBy(node::start).isInstanceOf(IllegalStateException.class).hasMessage("node already running");
    }
  }
}
