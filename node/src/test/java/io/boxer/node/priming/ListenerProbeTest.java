package io.boxer.node.priming;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Real sockets on loopback. */
class ListenerProbeTest {
  private final ListenerProbe probe = new ListenerProbe();

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void isListening_seesAWildcardListener() throws Exception {
    try (ServerSocket server = new ServerSocket(0)) {
      assertThat(probe.isListening(server.getLocalPort())).isTrue();
    }
  }

  @Test
  void isListening_seesAListenerOnASpecificAddress() throws Exception {
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress("127.0.0.1", 0));
      assertThat(probe.isListening(server.getLocalPort())).isTrue();
    }
  }

  @Test
  void isListening_seesAReusePortListener() throws Exception {
    try (ServerSocket server = new ServerSocket()) {
      server.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      server.bind(new InetSocketAddress(0));
      assertThat(probe.isListening(server.getLocalPort())).isTrue();
    }
  }

  @Test
  void isListening_isFalseForAFreePort() throws Exception {
    assertThat(probe.isListening(freePort())).isFalse();
  }

  @Test
  void isListening_ignoresBoundButNotListeningSockets() throws Exception {
    try (SocketChannel bound = SocketChannel.open()) {
      bound.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      bound.bind(new InetSocketAddress(0));
      int port = ((InetSocketAddress) bound.getLocalAddress()).getPort();

      assertThat(probe.isListening(port)).isFalse();
    }
  }

  @Test
  void isListening_doesNotDisturbAConnectionUsingThePort() throws Exception {
    try (ServerSocket server = new ServerSocket(0);
        Socket client = new Socket("127.0.0.1", server.getLocalPort());
        Socket accepted = server.accept()) {
      server.close(); // only the established pair is left on the port

      assertThat(probe.isListening(server.getLocalPort())).isFalse();
      client.getOutputStream().write(7);
      assertThat(accepted.getInputStream().read()).isEqualTo(7);
    }
  }

  @Test
  void isListening_remembersAListenerForASecond_thenAsksAgain() throws Exception {
    AtomicLong now = new AtomicLong(42);
    ListenerProbe remembering = new ListenerProbe(now::get);
    int port;
    try (ServerSocket server = new ServerSocket(0)) {
      port = server.getLocalPort();
      assertThat(remembering.isListening(port)).isTrue();
    }

    now.addAndGet(ListenerProbe.REMEMBER_LISTENING.toNanos() - 1);
    assertThat(remembering.isListening(port)).as("the closed listener, still remembered").isTrue();
    now.addAndGet(1);
    assertThat(remembering.isListening(port)).as("asked again after a second").isFalse();
  }

  @Test
  void isListening_neverRemembersAPortThatNothingListensOn() throws Exception {
    AtomicLong now = new AtomicLong(42);
    ListenerProbe remembering = new ListenerProbe(now::get);
    int port = freePort();
    assertThat(remembering.isListening(port)).isFalse();

    try (ServerSocket server = new ServerSocket()) {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(port));
      assertThat(remembering.isListening(port)).as("a server that has just started").isTrue();
    }
  }
}
