package io.boxer.agent.it.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;

/**
 * One selector thread serving a loopback ping-pong (an echo server and its client, both in this thread) while
 * a non-blocking connect to {@code HOST:PORT} is pending on the same selector, as an event loop would have it.
 * Reports how long {@code connect} took, how many round trips the selector served while the connect was
 * pending, how often {@code OP_CONNECT} fired and {@code finishConnect} returned false (an event loop such as
 * Netty's treats that as fatal), and the connect's outcome.
 */
final class SelectorProbe {

  private static final long LIMIT_NANOS = TimeUnit.SECONDS.toNanos(20);

  private SelectorProbe() {}

  static void connectWhileServing(String host, int port) throws IOException {
    try (Selector selector = Selector.open();
         ServerSocketChannel server = ServerSocketChannel.open();
         SocketChannel pinger = SocketChannel.open();
         SocketChannel member = SocketChannel.open()) {
      server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
      pinger.configureBlocking(false);
      pinger.connect(server.getLocalAddress());
      SelectionKey pingKey = pinger.register(selector, SelectionKey.OP_CONNECT);
      ByteBuffer ping = ByteBuffer.allocate(8);
      ByteBuffer echo = ByteBuffer.allocate(8);
      long roundTrips = 0;
      // the ping-pong runs first, so that the connect below starts on a busy event loop
      while (roundTrips < 100 && serve(selector, pingKey, ping, echo)) {
        roundTrips++;
      }

      member.configureBlocking(false);
      long start = System.nanoTime();
      boolean connectedAtOnce = member.connect(new InetSocketAddress(host, port));
      Probe.out("connectMillis", (System.nanoTime() - start) / 1_000_000);
      Probe.out("connectedAtOnce", connectedAtOnce);
      SelectionKey memberKey = member.register(selector, SelectionKey.OP_CONNECT);
      long whilePending = 0;
      int connectEvents = 0;
      int falseFinishes = 0;
      while (System.nanoTime() - start < LIMIT_NANOS) {
        selector.select(50);
        if (memberKey.isValid() && memberKey.isConnectable() && selector.selectedKeys().contains(memberKey)) {
          selector.selectedKeys().remove(memberKey);
          connectEvents++;
          try {
            if (member.finishConnect()) {
              Probe.out("connected", true);
              Probe.out("elapsedMillis", (System.nanoTime() - start) / 1_000_000);
              break;
            }
            falseFinishes++;
          } catch (IOException e) {
            Probe.failure(e, start);
            break;
          }
        }
        if (serveReady(selector, pingKey, ping, echo)) {
          whilePending++;
        }
      }
      Probe.out("roundTripsWhilePending", whilePending);
      Probe.out("connectEvents", connectEvents);
      Probe.out("falseFinishes", falseFinishes);
    }
  }

  /** One select and its events; true when a ping round trip completed. Bounded by the caller's loop. */
  private static boolean serve(Selector selector, SelectionKey pingKey, ByteBuffer ping, ByteBuffer echo)
      throws IOException {
    selector.select(50);
    return serveReady(selector, pingKey, ping, echo);
  }

  /** Handles the selected keys of the ping-pong (accept, echo, ping); true when a round trip completed. */
  private static boolean serveReady(Selector selector, SelectionKey pingKey, ByteBuffer ping, ByteBuffer echo)
      throws IOException {
    boolean roundTrip = false;
    for (SelectionKey key : selector.selectedKeys()) {
      if (!key.isValid()) {
        continue;
      }
      if (key.isAcceptable()) {
        SocketChannel accepted = ((ServerSocketChannel) key.channel()).accept();
        if (accepted != null) {
          accepted.configureBlocking(false);
          accepted.register(selector, SelectionKey.OP_READ);
        }
      } else if (key == pingKey && key.isConnectable()) {
        if (((SocketChannel) key.channel()).finishConnect()) {
          sendPing(key, ping);
        }
      } else if (key == pingKey && key.isReadable()) {
        if (((SocketChannel) key.channel()).read(ping) < 0) {
          throw new IOException("echo side closed");
        }
        if (!ping.hasRemaining()) {
          roundTrip = true;
          sendPing(key, ping);
        }
      } else if (key.isReadable()) { // the echo side: send back what arrives
        SocketChannel ch = (SocketChannel) key.channel();
        echo.clear();
        int n = ch.read(echo);
        if (n < 0) {
          key.cancel();
          continue;
        }
        echo.flip();
        while (echo.hasRemaining()) {
          ch.write(echo);
        }
      }
    }
    selector.selectedKeys().removeIf(k -> k != null);
    return roundTrip;
  }

  private static void sendPing(SelectionKey key, ByteBuffer ping) throws IOException {
    ping.clear();
    ping.putLong(System.nanoTime()).flip();
    while (ping.hasRemaining()) {
      ((SocketChannel) key.channel()).write(ping);
    }
    ping.clear();
    key.interestOps(SelectionKey.OP_READ);
  }
}
