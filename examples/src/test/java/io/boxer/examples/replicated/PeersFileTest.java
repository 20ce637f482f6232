package io.boxer.examples.replicated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.examples.replicated.PeersFile.Replica;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeersFileTest {
  @TempDir Path dir;

  @Test
  void replicas_areTheMembersWithTheRole_byIdAtTheirPorts() throws IOException {
    Path file = Files.writeString(dir.resolve("peers"),
        "7 198.18.0.107 replica\n3 198.18.0.11 client\n2 198.18.0.102 replica\n");

    assertThat(PeersFile.replicas(file, "replica", id -> id == 7 ? 7407 : 7400)).containsExactly(
        new Replica(2, new InetSocketAddress("198.18.0.102", 7400)),
        new Replica(7, new InetSocketAddress("198.18.0.107", 7407)));
  }

  @Test
  void replicas_ofAFileNotWrittenYet_areNone() throws IOException {
    assertThat(PeersFile.replicas(dir.resolve("missing"), "replica", id -> 7400)).isEmpty();
  }

  @Test
  void replicas_ofAMalformedLine_isAnErrorNamingIt() throws IOException {
    Path file = Files.writeString(dir.resolve("peers"), "1 198.18.0.101 replica\n2 example.com replica\n");

    assertThatThrownBy(() -> PeersFile.replicas(file, "replica", id -> 7400))
        .isInstanceOf(IOException.class)
        .hasMessageEndingWith(": \"2 example.com replica\" (expected: <id> <ipv4> <role>)");
    Files.writeString(file, "1 256.0.0.1 replica\n");
    assertThatThrownBy(() -> PeersFile.replicas(file, "replica", id -> 7400)).isInstanceOf(IOException.class);
  }
}
