package io.boxer.agent.it.probe;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.ByteChannel;
import java.nio.channels.Channels;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Relayed connects ({@link Probe}'s {@code relay KIND HOST PORT...}): for each port, connects to
 * {@code HOST:PORT} with one kind of JDK connect, sends {@value #HELLO} and reads one line back. Prints, under
 * the prefix {@code PORT.}, the address the application's socket reports for its peer, its local address and the
 * line read, or the connect's exception. Kinds: {@code socket} (untimed {@code Socket.connect}),
 * {@code socket-timeout} (timed), {@code channel} (blocking {@code SocketChannel}), {@code selector}
 * (non-blocking {@code SocketChannel} finished through a selector), {@code async}
 * ({@code AsynchronousSocketChannel}); {@code netty-epoll} is in {@link NettyProbe}.
 */
final class RelayProbe {

  static final String HELLO = "hello through the relay";
  private static final int TIMEOUT_MILLIS = 10_000;

  private RelayProbe() {}

  static void exchange(String kind, String host, int port) throws Exception {
    InetSocketAddress member = new InetSocketAddress(host, port);
    String prefix = port + ".";
    long start = System.nanoTime();
    try {
      switch (kind) {
        case "socket", "socket-timeout" -> {
          try (Socket s = new Socket()) {
            if (kind.equals("socket")) {
              s.connect(member);
            } else {
              s.connect(member, TIMEOUT_MILLIS);
            }
            Probe.out(prefix + "remote", s.getRemoteSocketAddress());
            Probe.out(prefix + "inetAddress", s.getInetAddress().getHostAddress());
            Probe.out(prefix + "port", s.getPort());
            Probe.out(prefix + "local", s.getLocalSocketAddress());
            s.getOutputStream().write((HELLO + "\n").getBytes(StandardCharsets.UTF_8));
            Probe.out(prefix + "reply", readLine(s.getInputStream()));
          }
        }
        case "channel" -> {
          try (SocketChannel ch = SocketChannel.open()) {
            ch.connect(member);
            channelExchange(prefix, ch, ch.getRemoteAddress(), ch.getLocalAddress());
          }
        }
        case "selector" -> {
          try (SocketChannel ch = SocketChannel.open(); Selector selector = Selector.open()) {
            ch.configureBlocking(false);
            if (!ch.connect(member)) {
              SelectionKey key = ch.register(selector, SelectionKey.OP_CONNECT);
              long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS);
              while (!ch.finishConnect()) {
                if (System.nanoTime() > deadline) {
                  throw new IOException("not connected within " + TIMEOUT_MILLIS + " ms");
                }
                selector.select(100);
                selector.selectedKeys().clear();
              }
              key.cancel();
              selector.selectNow(); // deregisters, so that the channel can block again
            }
            ch.configureBlocking(true);
            channelExchange(prefix, ch, ch.getRemoteAddress(), ch.getLocalAddress());
          }
        }
        case "async" -> {
          try (AsynchronousSocketChannel ch = AsynchronousSocketChannel.open()) {
            try {
              ch.connect(member).get(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
            } catch (ExecutionException e) {
              throw (Exception) e.getCause();
            }
            SocketAddress remote = ch.getRemoteAddress();
            SocketAddress local = ch.getLocalAddress();
            Probe.out(prefix + "remote", remote);
            Probe.out(prefix + "local", local);
            ch.write(ByteBuffer.wrap((HELLO + "\n").getBytes(StandardCharsets.UTF_8))).get();
            Probe.out(prefix + "reply", readLine(Channels.newInputStream(ch)));
          }
        }
        default -> throw new IllegalArgumentException("kind : " + kind);
      }
    } catch (Exception e) {
      Probe.out(prefix + "exception", e.getClass().getName());
      Probe.out(prefix + "message", e.getMessage());
      Probe.out(prefix + "elapsedMillis", (System.nanoTime() - start) / 1_000_000);
    }
  }

  private static void channelExchange(String prefix, ByteChannel ch, SocketAddress remote, SocketAddress local)
      throws IOException {
    Probe.out(prefix + "remote", remote);
    Probe.out(prefix + "local", local);
    ByteBuffer hello = ByteBuffer.wrap((HELLO + "\n").getBytes(StandardCharsets.UTF_8));
    while (hello.hasRemaining()) {
      ch.write(hello);
    }
    Probe.out(prefix + "reply", readLine(Channels.newInputStream(ch)));
  }

  /** One line, without its end; what was read before the end of the stream if no line end came. */
  static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder();
    int b;
    while ((b = in.read()) >= 0 && b != '\n') {
      line.append((char) b);
    }
    return line.toString();
  }
}
