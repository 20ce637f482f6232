package io.boxer.node.priming;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sockets made ready for a port's next prime: bound, bounded, and released when primes stop. */
class PrimingSocketsTest {
  private static final StandardProtocolFamily V4 = StandardProtocolFamily.INET;
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final PrimingSockets sockets = new PrimingSockets(now::get);
  private final List<ServerSocketChannel> listeners = new ArrayList<>();

  @BeforeEach
  void nothingYet() {
    assertThat(sockets.readyFor(V4, 1)).isZero();
  }

  @AfterEach
  void close() throws IOException {
    sockets.close();
    for (ServerSocketChannel listener : listeners) {
      listener.close();
    }
  }

  /** A loopback listener with SO_REUSEPORT, as the agent gives member listeners; returns its address. */
  private InetSocketAddress listener() throws IOException {
    ServerSocketChannel listener = ServerSocketChannel.open(V4);
    listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
    listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    listeners.add(listener);
    return (InetSocketAddress) listener.getLocalAddress();
  }

  @Test
  void fill_bindsNonBlockingSocketsToThePort_andTakeHandsThemOutOnce() throws IOException {
    InetSocketAddress local = listener();

    sockets.fill(V4, local, 4);

    assertThat(sockets.readyFor(V4, local.getPort())).isEqualTo(4);
    for (int i = 0; i < 4; i++) {
      try (SocketChannel ready = sockets.take(V4, local.getPort())) {
        assertThat(ready).isNotNull();
        assertThat(((InetSocketAddress) ready.getLocalAddress()).getPort()).isEqualTo(local.getPort());
        assertThat(ready.isBlocking()).isFalse();
      }
    }
    assertThat(sockets.take(V4, local.getPort())).isNull();
  }

  @Test
  void fill_topsUpToTheCount_neverBeyond() throws IOException {
    InetSocketAddress local = listener();
    sockets.fill(V4, local, 4);
    sockets.take(V4, local.getPort()).close();

    sockets.fill(V4, local, 4);
    sockets.fill(V4, local, 4);

    assertThat(sockets.readyFor(V4, local.getPort())).isEqualTo(4);
  }

  @Test
  void readySockets_areClosedOnceThePortWasNotPrimedForKeep() throws IOException {
    InetSocketAddress local = listener();
    sockets.fill(V4, local, 2);
    SocketChannel first = sockets.take(V4, local.getPort());
    first.close();

    sockets.closeIdle(now.get() + PrimingSockets.KEEP.toNanos() - 1);
    assertThat(sockets.readyFor(V4, local.getPort())).as("primed within KEEP").isEqualTo(1);
    sockets.closeIdle(now.get() + PrimingSockets.KEEP.toNanos());
    assertThat(sockets.readyFor(V4, local.getPort())).isZero();
    listeners.remove(0).close();
    assertThat(portFreeForAPlainBind(local)).as("no socket holds the port any more").isTrue();
  }

  @Test
  void readySockets_holdThePortAgainstABindWithoutReuse_untilDropped() throws IOException {
    InetSocketAddress local = listener();
    sockets.fill(V4, local, 1);
    listeners.remove(0).close(); // the application's listener goes away

    assertThat(portFreeForAPlainBind(local)).isFalse();
    sockets.drop(local.getPort());
    assertThat(portFreeForAPlainBind(local)).isTrue();
  }

  @Test
  void atMostMaxPorts_theLeastRecentlyPrimedGivesItsSocketsUp() throws IOException {
    List<InetSocketAddress> ports = new ArrayList<>();
    for (int i = 0; i <= PrimingSockets.MAX_PORTS; i++) {
      ports.add(listener());
      now.addAndGet(Duration.ofMillis(1).toNanos());
      sockets.fill(V4, ports.get(i), 1);
    }

    assertThat(sockets.readyFor(V4, ports.get(0).getPort())).as("the oldest").isZero();
    for (int i = 1; i <= PrimingSockets.MAX_PORTS; i++) {
      assertThat(sockets.readyFor(V4, ports.get(i).getPort())).isEqualTo(1);
    }
  }

  @Test
  void fill_ofAPortThatCannotBeShared_readiesNothing() throws IOException {
    try (ServerSocket exclusive = new ServerSocket()) { // no SO_REUSEPORT: no priming socket can bind beside it
      exclusive.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      InetSocketAddress local = (InetSocketAddress) exclusive.getLocalSocketAddress();

      sockets.fill(V4, local, 4);

      assertThat(sockets.readyFor(V4, local.getPort())).isZero();
    }
  }

  @Test
  void close_releasesEverything_andLaterFillsKeepNothing() throws IOException {
    InetSocketAddress local = listener();
    sockets.fill(V4, local, 4);

    sockets.close();
    sockets.fill(V4, local, 4);

    assertThat(sockets.readyFor(V4, local.getPort())).isZero();
  }

  /** Whether a socket without SO_REUSEADDR or SO_REUSEPORT can bind the port now. */
  private static boolean portFreeForAPlainBind(InetSocketAddress local) throws IOException {
    try (SocketChannel plain = SocketChannel.open(V4)) {
      plain.setOption(StandardSocketOptions.SO_REUSEADDR, false);
      plain.bind(local);
      return true;
    } catch (java.net.BindException e) {
      return false;
    }
  }
}
