package io.boxer.examples.replicated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicatedStoreClientTest {
  private final ByteArrayOutputStream output = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

  @TempDir Path dir;

  @Test
  void run_serversThatStartLater_areWaitedFor() throws Exception {
    try (TestCluster cluster = new TestCluster(dir)) {
      cluster.reservePorts(1, 2);
      ReplicatedStoreClient client = new ReplicatedStoreClient(
          List.of(cluster.address(2), cluster.address(1)), 10, Duration.ofSeconds(20), out);
      CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> {
        try {
          return client.run();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      });
      Thread.sleep(700);
      cluster.writePeers("1 127.0.0.1 replica", "2 127.0.0.1 replica");
      cluster.start(2, 2, Duration.ofSeconds(5)); // the backup first: it answers "unavailable" for a while
      Thread.sleep(700);
      cluster.start(1, 2, Duration.ofSeconds(5));

      assertThat(run.get(20, TimeUnit.SECONDS)).as(output.toString(StandardCharsets.UTF_8)).isZero();
      assertThat(output.toString(StandardCharsets.UTF_8))
          .isEqualTo("replicated-store-client ok writes=10 reads=20 servers=2\n");
    }
  }

  @Test
  void run_aServerThatLosesWrites_isReportedWithExitCodeOne() throws Exception {
    try (FakeServer forgetful = new FakeServer(line -> line.startsWith("PUT ") ? "OK 1" : "NONE")) {
      InetSocketAddress server = new InetSocketAddress("127.0.0.1", forgetful.port());
      ReplicatedStoreClient client = new ReplicatedStoreClient(List.of(server), 3, Duration.ofSeconds(5), out);

      assertThat(client.run()).isEqualTo(1);
      assertThat(output.toString(StandardCharsets.UTF_8).lines()).hasSize(4)
          .first().asString().startsWith(server + " GET key-0: NONE (expected: VALUE 1 value-0-");
      assertThat(output.toString(StandardCharsets.UTF_8)).endsWith("replicated-store-client failed: 3 differences\n");
    }
  }

  @Test
  void run_aWriteAnsweredWithAnError_isReportedWithExitCodeOne() throws Exception {
    try (FakeServer full = new FakeServer(line -> "ERR store full (max 1 keys, 10 characters)")) {
      InetSocketAddress server = new InetSocketAddress("127.0.0.1", full.port());
      ReplicatedStoreClient client = new ReplicatedStoreClient(List.of(server), 3, Duration.ofSeconds(5), out);

      assertThat(client.run()).isEqualTo(1);
      assertThat(output.toString(StandardCharsets.UTF_8))
          .isEqualTo("PUT key-0 through " + server + ": ERR store full (max 1 keys, 10 characters)\n");
    }
  }

  @Test
  void parse_badServers_sayWhatWasExpected() {
    assertThatThrownBy(() -> ReplicatedStoreClient.parse(new String[] {"--keys", "3"}, out))
        .hasMessage("--servers is required");
    assertThatThrownBy(() -> ReplicatedStoreClient.parse(new String[] {"--servers", "127.0.0.1"}, out))
        .hasMessage("--servers : 127.0.0.1 (expected: HOST:PORT)");
    assertThatThrownBy(() -> ReplicatedStoreClient.parse(new String[] {"--servers", "127.0.0.1:7400,"}, out))
        .hasMessage("--servers :  (expected: HOST:PORT)");
    assertThatThrownBy(() -> ReplicatedStoreClient.parse(new String[] {"--servers", "127.0.0.1:0"}, out))
        .hasMessage("--servers 127.0.0.1:0 : 0 (expected: 1..65535)");
    assertThatThrownBy(() -> ReplicatedStoreClient.parse(new String[] {"--servers", "127.0.0.1:1", "--keys", "0"}, out))
        .hasMessage("--keys : 0 (expected: 1..100000)");
  }
}
