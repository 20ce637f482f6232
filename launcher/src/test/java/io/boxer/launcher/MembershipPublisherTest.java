package io.boxer.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonParser;
import io.boxer.launcher.ChangeHook.Outcome;
import io.boxer.node.membership.Peer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MembershipPublisherTest {
  private static final Peer SELF = new Peer(1, new InetSocketAddress("198.18.0.101", 40000));
  private static final Peer LATE = new Peer(2, new InetSocketAddress("198.18.0.102", 40000));
  @TempDir Path dir;

  @Test
  void publish_rewritesThePeersFileAndTheReadyFile_thenTellsTheHook() throws Exception {
    BlockingQueue<String> peersFileSeenByHook = new LinkedBlockingQueue<>();
    Path peersPath = dir.resolve("peers");
    Path ready = dir.resolve("ready.json");
    ChangeHook hook = new ChangeHook(env -> {
      try {
        peersFileSeenByHook.add(Files.readString(peersPath));
      } catch (java.io.IOException e) {
        peersFileSeenByHook.add(e.toString());
      }
      return new Outcome(Outcome.Kind.EXITED, 0, "");
    }, List.of(SELF), Map.of(), Duration.ZERO);
    try (MembershipPublisher publisher = new MembershipPublisher(new PeersFile(peersPath), ready, SELF, 1, hook)) {
      publisher.publishFirst(List.of(SELF));
      assertThat(Files.readString(peersPath)).isEqualTo("1 198.18.0.101 member\n");

      publisher.publish(List.of(SELF, LATE));

      assertThat(Files.readString(peersPath)).isEqualTo("1 198.18.0.101 member\n2 198.18.0.102 member\n");
      assertThat(JsonParser.parseString(Files.readString(ready)).getAsJsonObject().getAsJsonArray("peers")).hasSize(2);
      assertThat(peersFileSeenByHook.poll(30, TimeUnit.SECONDS)).isEqualTo(Files.readString(peersPath));
    }
  }

  @Test
  void publish_afterClose_writesNothing() throws Exception {
    Path peersPath = dir.resolve("peers");
    MembershipPublisher publisher = new MembershipPublisher(new PeersFile(peersPath), null, SELF, null, null);
    publisher.publishFirst(List.of(SELF));
    publisher.close();

    publisher.publish(List.of(SELF, LATE));

    assertThat(Files.readString(peersPath)).isEqualTo("1 198.18.0.101 member\n");
  }

  @Test
  void publishFirst_intoAMissingDirectory_fails() {
    MembershipPublisher publisher = new MembershipPublisher(new PeersFile(dir.resolve("gone/peers")), null, SELF,
        null, null);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> publisher.publishFirst(List.of(SELF)))
        .isInstanceOf(java.io.IOException.class);
  }
}
