package io.boxer.node.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.boxer.node.membership.Peer;
import io.boxer.proto.v1.LinkPath;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The older member's end of a simultaneous open, on loopback: its connect toward the newer member's endpoint is
 * spliced to this node's control server, and the control server's side of the splice is known as carrying that
 * member's link. (Two SYNs crossing need two NATs: the lab's RelayIT covers that under {@code strict}.)
 */
class SimultaneousOpenerTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private final NioEventLoopGroup eventLoop = new NioEventLoopGroup(1);

  @AfterEach
  void close() throws Exception {
    eventLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(2, TimeUnit.SECONDS);
  }

  @Test
  void open_splicesTheConnectionToTheControlServer_fromThePortItReported() throws Exception {
    try (ServerSocket newerEndpoint = new ServerSocket(0, 1, LOOPBACK);
        ServerSocket controlServer = new ServerSocket(0, 1, LOOPBACK)) {
      OwnSplices splices = new OwnSplices();
      SimultaneousOpener opener = new SimultaneousOpener(eventLoop, controlServer.getLocalPort(), splices);
      Peer newer = new Peer(7, new InetSocketAddress(LOOPBACK, newerEndpoint.getLocalPort()), "member", false);
      AtomicInteger reported = new AtomicInteger();

      CompletableFuture<Void> opened = opener.open(newer, reported::set);
      try (Socket fromNewer = newerEndpoint.accept(); Socket atControl = controlServer.accept()) {
        opened.get(5, TimeUnit.SECONDS);
        assertThat(reported.get()).isEqualTo(fromNewer.getPort());
        InetSocketAddress spliceEnd = (InetSocketAddress) atControl.getRemoteSocketAddress();
        assertThat(splices.pathOf(spliceEnd, 7)).isEqualTo(LinkPath.SIMULTANEOUS_OPEN);
        assertThat(splices.pathOf(spliceEnd, 8)).isNull();
        assertThat(splices.pathOf(new InetSocketAddress(LOOPBACK, spliceEnd.getPort() + 1), 7)).isNull();

        // bytes flow both ways between the newer member and the control server
        new PrintWriter(fromNewer.getOutputStream(), true, StandardCharsets.UTF_8).println("hello from newer");
        assertThat(reader(atControl).readLine()).isEqualTo("hello from newer");
        new PrintWriter(atControl.getOutputStream(), true, StandardCharsets.UTF_8).println("hello from control");
        assertThat(reader(fromNewer).readLine()).isEqualTo("hello from control");

        // once the splice closes, its loopback end is forgotten
        fromNewer.close();
        assertThat(reader(atControl).read()).isEqualTo(-1);
        atControl.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> splices.pathOf(spliceEnd, 7) == null);
      }
    }
  }

  @Test
  void open_failsNamingTheStep_whenTheNewerMemberNeverConnects() throws Exception {
    int closedPort;
    try (ServerSocket probe = new ServerSocket(0, 1, LOOPBACK)) {
      closedPort = probe.getLocalPort();
    }
    try (ServerSocket controlServer = new ServerSocket(0, 1, LOOPBACK)) {
      SimultaneousOpener opener = new SimultaneousOpener(eventLoop, controlServer.getLocalPort(), new OwnSplices());
      Peer newer = new Peer(7, new InetSocketAddress(LOOPBACK, closedPort), "member", false);

      CompletableFuture<Void> opened = opener.open(newer, port -> { });

      assertThatThrownBy(() -> opened.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(IOException.class).hasMessageContaining("no SYN from member 7");
    }
  }

  private static BufferedReader reader(Socket socket) throws IOException {
    return new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
  }
}
