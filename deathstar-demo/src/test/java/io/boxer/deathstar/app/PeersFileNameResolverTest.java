package io.boxer.deathstar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.boxer.deathstar.proto.ComposeUniqueIdRequest;
import io.boxer.deathstar.proto.UniqueIdServiceGrpc;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A frontend-style channel that follows a peers file: two unique-id instances on 127.0.0.1 and 127.0.0.2 at the
 * same port, told apart by their machine id (part of every id they hand out).
 */
class PeersFileNameResolverTest {
  private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);
  @TempDir Path dir;
  private Server first;
  private Server second;
  private ManagedChannel channel;

  @AfterEach
  void stop() throws InterruptedException {
    for (Server s : new Server[] {first, second}) {
      if (s != null) {
        s.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
    if (channel != null) {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static Server uniqueId(String host, int port, int machineId) throws Exception {
    return NettyServerBuilder.forAddress(new InetSocketAddress(host, port), InsecureServerCredentials.create())
        .addService(new UniqueIdServiceImpl(new SnowflakeIds(machineId, System::currentTimeMillis)))
        .build().start();
  }

  private void writePeers(Path file, String content) throws Exception {
    Path tmp = Files.writeString(dir.resolve(".peers.tmp"), content);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  /** The machine ids that answered 20 calls in a row, once they satisfy {@code wanted} (30 s at most). */
  private Set<Integer> awaitAnswering(Predicate<Set<Integer>> wanted) {
    UniqueIdServiceGrpc.UniqueIdServiceBlockingStub stub = UniqueIdServiceGrpc.newBlockingStub(channel);
    return await().atMost(Duration.ofNanos(WAIT_NANOS)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
        .until(() -> {
          Set<Integer> machines = new HashSet<>();
          for (int i = 0; i < 20; i++) {
            long id = stub.withDeadlineAfter(5, TimeUnit.SECONDS)
                .composeUniqueId(ComposeUniqueIdRequest.getDefaultInstance()).getPostId();
            machines.add(SnowflakeIds.machineId(id));
          }
          return machines;
        }, wanted);
  }

  @Test
  @SuppressWarnings("deprecation")
  void channel_spreadsOverEveryInstanceOfItsRole_andFollowsThePeersFile() throws Exception {
    first = uniqueId("127.0.0.1", 0, 1);
    int port = first.getPort();
    second = uniqueId("127.0.0.2", port, 2);
    Path peers = dir.resolve("peers");
    writePeers(peers, "1 127.0.0.1 unique-id\n2 198.18.0.9 frontend\n");
    PeersFileNameResolver.Factory resolver = new PeersFileNameResolver.Factory(peers, "unique-id", port);
    channel = Grpc.newChannelBuilder(resolver.target(), InsecureChannelCredentials.create())
        .nameResolverFactory(resolver).defaultLoadBalancingPolicy("round_robin").build();

    assertThat(awaitAnswering(m -> m.equals(Set.of(1)))).containsExactly(1);

    // a second instance joins: calls spread over both
    writePeers(peers, "1 127.0.0.1 unique-id\n2 198.18.0.9 frontend\n3 127.0.0.2 unique-id\n");
    assertThat(awaitAnswering(m -> m.equals(Set.of(1, 2)))).containsExactlyInAnyOrder(1, 2);

    // the first leaves the file: it gets no more calls, although it still runs
    writePeers(peers, "2 198.18.0.9 frontend\n3 127.0.0.2 unique-id\n");
    assertThat(awaitAnswering(m -> m.equals(Set.of(2)))).containsExactly(2);
  }

  @Test
  void roleInstances_areTheMembersWithTheRole_atItsPort() {
    assertThat(RoleInstances.parse("1 198.18.0.11 text\n2 198.18.0.12 frontend\n\n3 198.18.0.13 text\n", "text", 9002))
        .containsExactly(new InetSocketAddress("198.18.0.11", 9002), new InetSocketAddress("198.18.0.13", 9002));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> RoleInstances.parse("1 198.18.0.11\n", "text", 9002))
        .hasMessageContaining("'1 198.18.0.11'");
  }
}
