package io.boxer.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PortsInUseTest {
  private static final String HEADER =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode";
  // 127.0.0.1:5000 listening; 198.18.0.101:5001 established to 198.18.0.102:40000
  private static final String V4 = HEADER + "\n"
      + "   0: 0100007F:1388 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n"
      + "   1: 650012C6:1389 660012C6:9C40 01 00000000:00000000 00:00000000 00000000     0        0 2 1\n";
  // [::]:6000 listening
  private static final String V6 = HEADER + "\n"
      + "   0: 00000000000000000000000000000000:1770 00000000000000000000000000000000:0000 0A 0:0 00:0 0 0 0 3 1\n";
  @TempDir Path dir;

  private PortsInUse table() throws Exception {
    return new PortsInUse(List.of(Files.writeString(dir.resolve("tcp"), V4), Files.writeString(dir.resolve("tcp6"), V6),
        dir.resolve("missing")));
  }

  @Test
  void address_decodesEachLittleEndianWord() {
    assertThat(PortsInUse.address("0100007F").getHostAddress()).isEqualTo("127.0.0.1");
    assertThat(PortsInUse.address("650012C6").getHostAddress()).isEqualTo("198.18.0.101");
    assertThat(PortsInUse.address("00000000000000000000000001000000").getHostAddress()).isEqualTo("0:0:0:0:0:0:0:1");
    assertThat(PortsInUse.address("xyz")).isNull();
  }

  @Test
  void taken_byAListenerOnTheSameOrAWildcardAddress() throws Exception {
    PortsInUse ports = table();
    assertThat(ports.taken(InetAddress.getByName("127.0.0.1"), 5000, false)).isTrue();
    assertThat(ports.taken(InetAddress.getByName("0.0.0.0"), 5000, false)).isTrue();
    assertThat(ports.taken(InetAddress.getByName("198.18.0.101"), 5000, false)).isFalse();
    assertThat(ports.taken(InetAddress.getByName("198.18.0.101"), 6000, false)).as("[::] listens").isTrue();
    assertThat(ports.taken(InetAddress.getByName("127.0.0.1"), 5002, false)).isFalse();
  }

  @Test
  void anEstablishedSocket_countsOnlyForABindWithoutReuseAddr() throws Exception {
    PortsInUse ports = table();
    assertThat(ports.taken(InetAddress.getByName("198.18.0.101"), 5001, false)).isFalse();
    assertThat(ports.taken(InetAddress.getByName("198.18.0.101"), 5001, true)).isTrue();
  }
}
