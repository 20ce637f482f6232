package io.boxer.examples.replicated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicatedStoreTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @TempDir Path dir;
  private TestCluster cluster;

  @BeforeEach
  void setUp() {
    cluster = new TestCluster(dir);
  }

  @AfterEach
  void tearDown() {
    cluster.close();
  }

  private void startThree() throws Exception {
    cluster.reservePorts(1, 2, 3);
    // a member with another role is no replica: nobody waits for it
    cluster.writePeers("1 127.0.0.1 replica", "2 127.0.0.1 replica", "3 127.0.0.1 replica", "4 127.0.0.1 client");
    for (long id = 1; id <= 3; id++) {
      cluster.start(id, 3, TIMEOUT);
    }
  }

  /** Replica 1, the only one, so the primary. */
  private void startAlone() throws Exception {
    cluster.reservePort(1);
    cluster.writePeers("1 127.0.0.1 replica");
    cluster.start(1, 1, TIMEOUT);
  }

  @Test
  void store_lowestIdIsPrimary_othersAreBackups() throws Exception {
    startThree();
    try (StoreClient primary = new StoreClient(cluster, 1); StoreClient backup = new StoreClient(cluster, 3)) {
      assertThat(primary.request("STATUS")).startsWith("STATUS id=1 role=primary primary=1 ");
      assertThat(backup.request("STATUS")).startsWith("STATUS id=3 role=backup primary=1 ");
    }
  }

  @Test
  void client_writingThroughABackup_readsEveryKeyBackFromEveryReplica() throws Exception {
    startThree();
    ByteArrayOutputStream output = new ByteArrayOutputStream();
    ReplicatedStoreClient client = new ReplicatedStoreClient(
        List.of(cluster.address(2), cluster.address(1), cluster.address(3)), 50, TIMEOUT,
        new PrintStream(output, true, StandardCharsets.UTF_8));

    assertThat(client.run()).as(output.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(output.toString(StandardCharsets.UTF_8))
        .isEqualTo("replicated-store-client ok writes=50 reads=150 servers=3\n");
    try (StoreClient primary = new StoreClient(cluster, 1)) {
      assertThat(primary.request("STATUS")).endsWith(" connected=2,3 keys=50");
    }
  }

  @Test
  void put_onPrimary_answersOnlyAfterEveryBackupApplied() throws Exception {
    startThree();
    try (StoreClient primary = new StoreClient(cluster, 1);
        StoreClient backup2 = new StoreClient(cluster, 2);
        StoreClient backup3 = new StoreClient(cluster, 3)) {
      for (int i = 1; i <= 20; i++) {
        assertThat(primary.request("PUT k v" + i)).isEqualTo("OK " + i);
        // no waiting: the OK promises that both backups have it already
        assertThat(backup2.request("GET k")).isEqualTo("VALUE " + i + " v" + i);
        assertThat(backup3.request("GET k")).isEqualTo("VALUE " + i + " v" + i);
      }
    }
  }

  @Test
  void put_withAListedBackupThatNeverAcknowledges_failsAsUnavailable() throws Exception {
    try (FakeServer frozen = new FakeServer(line -> null)) {
      cluster.reservePort(1);
      cluster.usePort(2, frozen.port());
      cluster.writePeers("1 127.0.0.1 replica", "2 127.0.0.1 replica");
      cluster.start(1, 2, Duration.ofMillis(500));
      // the primary links to its listed backup on its own and sends it the empty snapshot first; the write comes
      // after that (on a busy machine the link can come up late, and then its snapshot is already version 1)
      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(frozen.received).contains("SNAPSHOT 0"));
      try (StoreClient primary = new StoreClient(cluster, 1)) {
        assertThat(primary.request("PUT k v"))
            .startsWith("ERR unavailable: replica 2 did not acknowledge version 1 within 500 ms");
      }
    }
  }

  @Test
  void put_waitingForABackup_endsWhenThePeersFileDropsIt() throws Exception {
    try (FakeServer frozen = new FakeServer(line -> null)) {
      cluster.reservePorts(1, 2);
      cluster.usePort(3, frozen.port());
      cluster.writePeers("1 127.0.0.1 replica", "2 127.0.0.1 replica", "3 127.0.0.1 replica");
      cluster.start(1, 3, Duration.ofSeconds(60));
      cluster.start(2, 3, Duration.ofSeconds(60));
      try (StoreClient primary = new StoreClient(cluster, 1); StoreClient backup = new StoreClient(cluster, 2)) {
        CompletableFuture<String> put = CompletableFuture.supplyAsync(() -> request(primary, "PUT k v"));
        Thread.sleep(500);
        assertThat(put).as("a write waits for a listed backup").isNotDone();

        cluster.writePeers("1 127.0.0.1 replica", "2 127.0.0.1 replica");

        assertThat(put.get(3, TimeUnit.SECONDS)).isEqualTo("OK 1");
        assertThat(backup.request("GET k")).isEqualTo("VALUE 1 v");
        assertThat(primary.request("PUT k w")).isEqualTo("OK 2");
      }
    }
  }

  @Test
  void backup_joiningAfterWrites_catchesUpFromTheSnapshot() throws Exception {
    cluster.reservePorts(1, 2);
    cluster.writePeers("1 127.0.0.1 replica");
    cluster.start(1, 1, TIMEOUT);
    try (StoreClient primary = new StoreClient(cluster, 1)) {
      for (int i = 0; i < 10; i++) {
        assertThat(primary.request("PUT key-" + i + " value " + i)).isEqualTo("OK " + (i + 1));
      }
    }
    cluster.writePeers("1 127.0.0.1 replica", "2 127.0.0.1 replica");
    cluster.start(2, 2, TIMEOUT);

    try (StoreClient backup = new StoreClient(cluster, 2)) {
      await().atMost(TIMEOUT).pollInSameThread().pollInterval(Duration.ofMillis(50)).untilAsserted(() -> assertThat(
          backup.request("STATUS")).isEqualTo("STATUS id=2 role=backup primary=1 connected=1 keys=10"));
      assertThat(backup.request("GET key-7")).isEqualTo("VALUE 8 value 7");
    }
  }

  @Test
  void put_throughABackupWhosePrimaryLeft_failsAsUnavailable() throws Exception {
    cluster.reservePorts(1, 2);
    cluster.writePeers("1 127.0.0.1 replica", "2 127.0.0.1 replica");
    cluster.start(2, 2, TIMEOUT); // the primary, 1, never starts
    try (StoreClient backup = new StoreClient(cluster, 2)) {
      assertThat(backup.request("PUT k v")).startsWith("ERR unavailable: primary 1 at ");

      cluster.writePeers("2 127.0.0.1 replica");
      Thread.sleep(500);

      assertThat(backup.request("PUT k v"))
          .isEqualTo("ERR unavailable: primary 1 left the peers file (no failover)");
    }
  }

  @Test
  void session_badCommands_areAnsweredWithErrAndTheConnectionStaysUsable() throws Exception {
    startAlone();
    try (StoreClient client = new StoreClient(cluster, 1)) {
      assertThat(client.request("DELETE k")).isEqualTo("ERR unknown command \"DELETE\" (expected: PUT, GET, STATUS)");
      assertThat(client.request("")).isEqualTo("ERR unknown command \"\" (expected: PUT, GET, STATUS)");
      assertThat(client.request("put k v")).startsWith("ERR unknown command \"put\"");
      assertThat(client.request("PUT k")).isEqualTo("ERR usage: PUT <key> <value>");
      assertThat(client.request("PUT  k v")).isEqualTo("ERR usage: PUT <key> <value>");
      assertThat(client.request("GET")).isEqualTo("ERR usage: GET <key>");
      assertThat(client.request("GET a b")).isEqualTo("ERR usage: GET <key>");
      assertThat(client.request("STATUS now")).isEqualTo("ERR usage: STATUS");
      assertThat(client.request("REPLICATE 1 k v")).startsWith("ERR REPLICATE comes only from the primary");
      assertThat(client.request("PUT k " + "x".repeat(Table.MAX_ENTRY_BYTES)))
          .startsWith("ERR entry too large");
      assertThat(client.request("GET k")).isEqualTo("NONE");
      assertThat(client.request("PUT k a value with spaces")).isEqualTo("OK 1");
      assertThat(client.request("GET k")).isEqualTo("VALUE 1 a value with spaces");
    }
  }

  @Test
  void backup_replicationFromAnotherAddressThanThePrimarys_isRefused() throws Exception {
    cluster.reservePorts(1, 2);
    cluster.writePeers("1 127.0.0.2 replica", "2 127.0.0.1 replica");
    cluster.start(2, 2, TIMEOUT);
    try (StoreClient client = new StoreClient(cluster, 2)) {
      assertThat(client.request("SNAPSHOT 1")).startsWith("ERR SNAPSHOT comes only from the primary");
      assertThat(client.request("1 k v")).startsWith("ERR unknown command");
      assertThat(client.request("GET k")).isEqualTo("NONE");
    }
  }

  @Test
  void session_lineLongerThan8KiB_isRefusedAndClosed() throws Exception {
    startAlone();
    try (StoreClient client = new StoreClient(cluster, 1)) {
      assertThat(client.request("PUT k " + "x".repeat(LineConnection.MAX_LINE_BYTES - 6)))
          .as("8192 bytes are a line").startsWith("ERR entry too large");

      assertThat(client.request("PUT k " + "x".repeat(LineConnection.MAX_LINE_BYTES - 5)))
          .isEqualTo("ERR line too long (max 8192 bytes)");
      assertThat(client.request("STATUS")).as("closed").isNull();
    }
  }

  @Test
  void store_connectionsBeyond256_areRefused() throws Exception {
    startAlone();
    List<StoreClient> clients = new ArrayList<>();
    try {
      for (int i = 0; i < ReplicatedStore.MAX_CONNECTIONS; i++) {
        clients.add(new StoreClient(cluster, 1));
      }
      assertThat(clients.get(255).request("GET k")).isEqualTo("NONE");
      try (Socket extra = new Socket("127.0.0.1", cluster.port(1))) {
        extra.setSoTimeout(5000);
        assertThat(new String(extra.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
            .isEqualTo("ERR too many connections (max 256)\n");
      }
      clients.remove(0).close();
      Thread.sleep(200);
      try (StoreClient again = new StoreClient(cluster, 1)) {
        assertThat(again.request("GET k")).as("a freed slot serves again").isEqualTo("NONE");
      }
    } finally {
      clients.forEach(StoreClient::close);
    }
  }

  @Test
  void start_withTooFewReplicasListed_failsAfterTheWait() throws Exception {
    cluster.reservePort(1);
    cluster.writePeers("1 127.0.0.1 replica", "2 127.0.0.1 client");
    StoreOptions options = new StoreOptions(1, cluster.peersFile, cluster.port(1), "replica", 2,
        Duration.ofSeconds(1), Optional.empty(), TIMEOUT, Map.of());

    assertThatThrownBy(() -> ReplicatedStore.start(options))
        .isInstanceOf(IOException.class)
        .hasMessageStartingWith("only 1 of 2 replicas (role replica) are listed in ");
  }

  private static String request(StoreClient client, String line) {
    try {
      return client.request(line);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
