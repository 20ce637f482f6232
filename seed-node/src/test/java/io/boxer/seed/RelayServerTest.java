package io.boxer.seed;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.control.relay.RelayWire;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay port over real sockets on loopback: pairing by ticket, byte copying, and what it closes. */
class RelayServerTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RelaySessions sessions = new RelaySessions();
  private RelayServer relay;

  @BeforeEach
  void start() throws Exception {
    relay = new RelayServer(new InetSocketAddress(LOOPBACK, 0), sessions, new SeedMetrics(registry)).start();
  }

  @AfterEach
  void stop() {
    relay.close();
  }

  @Test
  void twoEndsWithTheirTickets_arePaired_andBytesFlowBothWays() throws Exception {
    RelaySessions.Tickets t = sessions.open(1, LOOPBACK, 7, 2, LOOPBACK, System.nanoTime());
    try (Socket a = connect(t.requester()); Socket b = connect(t.peer())) {
      assertThat(a.getInputStream().read()).isEqualTo(RelayWire.PAIRED);
      assertThat(b.getInputStream().read()).isEqualTo(RelayWire.PAIRED);

      byte[] big = new byte[1 << 20];
      for (int i = 0; i < big.length; i++) {
        big[i] = (byte) i;
      }
      Thread writer = new Thread(() -> {
        try {
          a.getOutputStream().write(big);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      writer.start();
      byte[] got = new byte[big.length];
      new DataInputStream(b.getInputStream()).readFully(got);
      writer.join(10_000);
      assertThat(got).isEqualTo(big);

      b.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
      byte[] pong = new byte[4];
      new DataInputStream(a.getInputStream()).readFully(pong);
      assertThat(new String(pong, StandardCharsets.US_ASCII)).isEqualTo("pong");

      b.close();
      assertThat(a.getInputStream().read()).as("one end closing closes the other").isEqualTo(-1);
    }
    assertThat(registry.get("boxer.seed.relay.sessions").tag("outcome", "paired").counter().count()).isEqualTo(1);
    assertThat(registry.get("boxer.seed.relay.bytes").functionCounter().count()).isGreaterThanOrEqualTo((1 << 20) + 4);
  }

  @Test
  void unknownTicket_isClosedWithoutAnAnswer() throws Exception {
    try (Socket s = connect(RelayWire.newTicket())) {
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    assertThat(registry.get("boxer.seed.relay.refused").counter().count()).isEqualTo(1);
  }

  @Test
  void wrongMagic_orBytesBeyondThePreamble_areClosed() throws Exception {
    try (Socket s = new Socket(LOOPBACK, relay.port())) {
      s.getOutputStream().write(new byte[RelayWire.PREAMBLE_BYTES]);
      assertThat(s.getInputStream().read()).isEqualTo(-1);
    }
    RelaySessions.Tickets t = sessions.open(1, LOOPBACK, 7, 2, LOOPBACK, System.nanoTime());
    try (Socket s = new Socket(LOOPBACK, relay.port())) {
      ByteBuf preamble = RelayWire.preamble(t.requester());
      byte[] bytes = new byte[preamble.readableBytes() + 10];
      preamble.readBytes(bytes, 0, preamble.readableBytes());
      s.getOutputStream().write(bytes);
      assertThat(s.getInputStream().read()).as("data before pairing").isEqualTo(-1);
    }
  }

  @Test
  void firstEnd_waits_withoutAnswer_untilTheSecondComes() throws Exception {
    RelaySessions.Tickets t = sessions.open(1, LOOPBACK, 7, 2, LOOPBACK, System.nanoTime());
    try (Socket a = connect(t.requester())) {
      a.setSoTimeout(300);
      InputStream in = a.getInputStream();
      try {
        in.read();
        throw new AssertionError("the relay answered before the other end came");
      } catch (SocketTimeoutException expected) {
        // still waiting
      }
      try (Socket b = connect(t.peer())) {
        a.setSoTimeout(5000);
        assertThat(in.read()).isEqualTo(RelayWire.PAIRED);
      }
    }
  }

  private Socket connect(byte[] ticket) throws Exception {
    Socket s = new Socket(LOOPBACK, relay.port());
    s.setSoTimeout(10_000);
    ByteBuf preamble = RelayWire.preamble(ticket);
    byte[] bytes = new byte[preamble.readableBytes()];
    preamble.readBytes(bytes);
    OutputStream out = s.getOutputStream();
    out.write(bytes);
    out.flush();
    return s;
  }
}
