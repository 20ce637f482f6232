package io.boxer.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.node.membership.Peer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeersFileTest {
  @Test
  void write_listsEveryMemberSortedById(@TempDir Path dir) throws Exception {
    PeersFile file = new PeersFile(dir.resolve("peers"));

    file.write(List.of(
        new Peer(3, new InetSocketAddress("198.18.0.11", 41000), "cache"),
        new Peer(1, new InetSocketAddress("198.18.0.101", 40000))));

    assertThat(Files.readString(dir.resolve("peers"))).isEqualTo("1 198.18.0.101 member\n3 198.18.0.11 cache\n");
    assertThat(Files.list(dir)).containsExactly(dir.resolve("peers")); // no temp file left behind
  }

  @Test
  void javaToolOptions_keepsWhatWasThere() {
    assertThat(ChildProcess.javaToolOptions(null, new AgentLoading(Path.of("/a.jar"), AgentFlag.JAVAAGENT, null))).isEqualTo("-javaagent:/a.jar");
    assertThat(ChildProcess.javaToolOptions("-Xmx1g", new AgentLoading(Path.of("/a.jar"), AgentFlag.JAVAAGENT, null))).isEqualTo("-Xmx1g -javaagent:/a.jar");
  }
}
