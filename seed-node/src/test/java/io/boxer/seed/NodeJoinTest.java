package io.boxer.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.node.BoxerNode;
import io.boxer.node.JoinException;
import io.boxer.node.NodeConfig;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A real node joining a real seed over loopback (one external address, so one member at a time). */
class NodeJoinTest {
  @Test
  void join_reflectsTheObservedAddressAndRejectsASecondNodeOnIt() throws Exception {
    try (SeedServer seed = new SeedServer(new InetSocketAddress("127.0.0.1", 0)).start()) {
      NodeConfig config = NodeConfig.forSeed(new InetSocketAddress("127.0.0.1", seed.port()));
      try (BoxerNode first = new BoxerNode(config); BoxerNode second = new BoxerNode(config)) {
        first.start();

        assertThat(first.self().id()).isEqualTo(1);
        assertThat(first.self().externalIp().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(first.members()).hasSize(1);
        assertThat(first.awaitMesh(1, Duration.ofSeconds(5), n -> {})).isTrue();
        assertThatThrownBy(second::start)
            .isInstanceOfSatisfying(JoinException.class, e -> assertThat(e.rejected()).isTrue())
            .hasMessageContaining("127.0.0.1 is already member 1");
      }
    }
  }

  @Test
  void join_freesTheAddressWhenTheNodeLeaves() throws Exception {
    try (SeedServer seed = new SeedServer(new InetSocketAddress("127.0.0.1", 0)).start()) {
      NodeConfig config = NodeConfig.forSeed(new InetSocketAddress("127.0.0.1", seed.port()));
      try (BoxerNode first = new BoxerNode(config)) {
        first.start();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
      while (seed.members() > 0 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(seed.members()).isZero();
      try (BoxerNode again = new BoxerNode(config)) {
        again.start();
        assertThat(again.self().id()).isEqualTo(2);
      }
    }
  }

  @Test
  void join_givesUpOnAnUnreachableSeedAfterTheConfiguredAttempts() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    NodeConfig config = NodeConfig.forSeed(new InetSocketAddress("127.0.0.1", closedPort))
        .withJoinAttempts(3, Duration.ofMillis(10));
    try (BoxerNode node = new BoxerNode(config)) {
      assertThatThrownBy(node::start)
          .isInstanceOfSatisfying(JoinException.class, e -> assertThat(e.rejected()).isFalse())
          .hasMessageStartingWith("cannot reach the seed after 3 attempts: UNAVAILABLE");
    }
  }

  @Test
  void start_twice_fails() throws Exception {
    try (SeedServer seed = new SeedServer(new InetSocketAddress("127.0.0.1", 0)).start();
        BoxerNode node = new BoxerNode(NodeConfig.forSeed(new InetSocketAddress("127.0.0.1", seed.port())))) {
      node.start();
      assertThatThrownBy(node::start).isInstanceOf(IllegalStateException.class).hasMessage("node already running");
    }
  }
}
