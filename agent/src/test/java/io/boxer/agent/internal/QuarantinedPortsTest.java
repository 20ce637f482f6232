package io.boxer.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuarantinedPortsTest {

  private final List<String> log = new ArrayList<>();
  private final QuarantinedPorts quarantine = new QuarantinedPorts((family, port) -> {
    if (port == 666) {
      throw new BindException("Address already in use");
    }
    log.add("hold " + port);
    return () -> log.add("release " + port);
  }, 1_000);

  @Test
  void portsAreHeldUntilTheirTimeIsUp_thenLetGo() {
    quarantine.hold(StandardProtocolFamily.INET, 40001, 0);
    quarantine.hold(StandardProtocolFamily.INET, 40002, 500);
    quarantine.releaseExpired(999);
    assertThat(log).containsExactly("hold 40001", "hold 40002");

    quarantine.releaseExpired(1_000);
    assertThat(log).endsWith("release 40001");
    quarantine.hold(StandardProtocolFamily.INET, 40003, 1_600); // a hold lets expired ones go too
    assertThat(log).endsWith("hold 40003", "release 40002");
    assertThat(quarantine.size()).isEqualTo(1);
  }

  @Test
  void aPortTakenMeanwhile_isNotHeld() {
    quarantine.hold(StandardProtocolFamily.INET, 666, 0);
    assertThat(quarantine.size()).isZero();
    assertThat(log).isEmpty();
  }

  @Test
  void atMostMaxHeld_theOldestGoesFirst() {
    for (int i = 0; i <= QuarantinedPorts.MAX_HELD; i++) {
      quarantine.hold(StandardProtocolFamily.INET, 30000 + i, 0);
    }
    assertThat(quarantine.size()).isEqualTo(QuarantinedPorts.MAX_HELD);
    assertThat(log).contains("release 30000").doesNotContain("release 30001");
  }

  @Test
  void aPortOfTheJdksUnspecifiedFamily_isHeldToo() throws Exception {
    // as sun.nio.ch.Net.UNSPEC, which NioSocketImpl passes to Net.connect for a Socket: neither INET nor INET6
    java.net.ProtocolFamily family = () -> "UNSPEC";
    QuarantinedPorts real = new QuarantinedPorts();
    int port = freePort();

    real.hold(family, port, 0);

    assertThat(real.size()).isEqualTo(1);
    real.releaseExpired(Long.MAX_VALUE / 2 + 1);
  }

  @Test
  void aHeldPort_isNotHandedOutByTheKernel() throws IOException {
    QuarantinedPorts real = new QuarantinedPorts();
    int port = freePort();
    real.hold(StandardProtocolFamily.INET, port, 0);
    assertThat(real.size()).isEqualTo(1);
    try (SocketChannel other = SocketChannel.open(StandardProtocolFamily.INET)) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> other.bind(new InetSocketAddress(port)))
          .isInstanceOf(BindException.class);
    }
    real.releaseExpired(Long.MAX_VALUE / 2 + 1); // long after the hold: let go, the port is free again
    assertThat(real.size()).isZero();
    try (SocketChannel other = SocketChannel.open(StandardProtocolFamily.INET)) {
      other.bind(new InetSocketAddress(port));
    }
  }

  private static int freePort() throws IOException {
    try (SocketChannel probe = SocketChannel.open()) {
      probe.bind(new InetSocketAddress(0));
      return ((InetSocketAddress) probe.getLocalAddress()).getPort();
    }
  }
}
