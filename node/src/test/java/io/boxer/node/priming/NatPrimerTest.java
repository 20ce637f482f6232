package io.boxer.node.priming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Priming SYNs from a listening port, from sockets made ready after the answer when there are any. */
class NatPrimerTest {
  private final NatPrimer primer = new NatPrimer();
  private ServerSocketChannel listener;
  private int port;
  private InetSocketAddress client;

  @BeforeEach
  void listen() throws IOException {
    listener = ServerSocketChannel.open(StandardProtocolFamily.INET);
    listener.setOption(StandardSocketOptions.SO_REUSEPORT, true); // as the agent gives member listeners
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
    try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      client = new InetSocketAddress(InetAddress.getLoopbackAddress(), closed.getLocalPort()); // nobody answers
    }
  }

  @AfterEach
  void close() throws IOException {
    primer.close();
    listener.close();
  }

  @Test
  void prime_sendsFromTheSocketsPrepareMadeReady() throws IOException {
    primer.prepare(port, client);
    assertThat(primer.readyFor(port)).isEqualTo(NatPrimer.SYNS);

    primer.prime(port, client);

    assertThat(primer.readyFor(port)).as("every SYN took a ready socket").isZero();
  }

  @Test
  void prime_withoutReadySockets_opensItsOwn() throws IOException {
    primer.prime(port, client);

    assertThat(primer.readyFor(port)).isZero();
  }

  @Test
  void prime_ofAPortThatCannotBeShared_fails() throws IOException {
    try (ServerSocket exclusive = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(() -> primer.prime(exclusive.getLocalPort(), client)).isInstanceOf(IOException.class);
    }
  }

  @Test
  void forget_releasesThePortsReadySockets() throws IOException {
    primer.prepare(port, client);

    primer.forget(port);

    assertThat(primer.readyFor(port)).isZero();
  }
}
