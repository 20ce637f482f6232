package io.boxer.node.priming;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenerProbeTest {
  private static final String HEADER =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";

  @Test
  void tableHasListener_matchesListenStateOnThePort() {
    List<String> table = List.of(HEADER,
        "   0: 00000000:1388 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1",
        "   1: 0100007F:1389 0200007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 2");

    assertThat(ListenerProbe.tableHasListener(table, 5000)).isTrue();
    // port 5001 only has an established connection, not a listener
    assertThat(ListenerProbe.tableHasListener(table, 5001)).isFalse();
    assertThat(ListenerProbe.tableHasListener(table, 0x1388 + 2)).isFalse();
  }

  @Test
  void tableHasListener_doesNotConfuseRemotePortWithLocal() {
    List<String> table = List.of(HEADER,
        "   0: 0100007F:D431 0100007F:1388 0A 00000000:00000000 00:00000000 00000000     0        0 1");

    assertThat(ListenerProbe.tableHasListener(table, 5000)).isFalse();
  }

  @Test
  void isListening_readsIpv6TableToo(@TempDir Path dir) throws IOException {
    Path v4 = Files.writeString(dir.resolve("tcp"), HEADER + "\n");
    Path v6 = Files.writeString(dir.resolve("tcp6"), HEADER + "\n"
        + "   0: 00000000000000000000000000000000:1F90 00000000000000000000000000000000:0000 0A 0:0 00:0 0 0 0 1\n");

    ListenerProbe probe = new ListenerProbe(List.of(v4, v6, dir.resolve("missing")));

    assertThat(probe.isListening(8080)).isTrue();
    assertThat(probe.isListening(8081)).isFalse();
  }

  @Test
  void isListening_seesARealListenerOfThisHost() throws IOException {
    ListenerProbe probe = new ListenerProbe();
    try (ServerSocket server = new ServerSocket(0)) {
      assertThat(probe.isListening(server.getLocalPort())).isTrue();
    }
  }
}
