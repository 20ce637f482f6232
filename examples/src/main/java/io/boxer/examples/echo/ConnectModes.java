package io.boxer.examples.echo;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One echo exchange with an {@link EchoServer} through a chosen JDK socket API, knowing nothing of Boxer:
 * {@code ConnectModes MODE HOST PORT MESSAGE}. Modes: {@code socket} (Socket.connect with a timeout),
 * {@code channel} (blocking SocketChannel), {@code adaptor} (SocketChannel.socket().connect),
 * {@code nonblocking} (Selector, OP_CONNECT, finishConnect), {@code async} (AsynchronousSocketChannel),
 * {@code virtual:N} (N virtual threads at once, JDK 21+). Prints {@code reply: ...} per exchange and exits
 * 0 (all echoed), 3 (refused), 4 (timed out) or 5 (other error). Every wait is bounded (5 s).
 */
public final class ConnectModes {
  private static final int TIMEOUT_MS = 5000;

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    InetSocketAddress target = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
    String message = args[3];
    try {
      if (mode.startsWith("virtual:")) {
        virtualThreads(Integer.parseInt(mode.substring("virtual:".length())), target, message);
      } else {
        System.out.println("reply: " + exchange(mode, target, message));
      }
      System.exit(0);
    } catch (ConnectException e) {
      System.out.println("refused: " + e.getMessage());
      System.exit(3);
    } catch (SocketTimeoutException e) {
      System.out.println("timed out: " + e.getMessage());
      System.exit(4);
    } catch (IOException e) {
      System.out.println("failed: " + e);
      System.exit(5);
    }
  }

  static String exchange(String mode, InetSocketAddress target, String message) throws Exception {
    switch (mode) {
      case "socket":
        try (Socket socket = new Socket()) {
          socket.connect(target, TIMEOUT_MS);
          return overSocket(socket, message);
        }
      case "channel":
        try (SocketChannel channel = SocketChannel.open(target)) {
          return overSocket(channel.socket(), message);
        }
      case "adaptor":
        try (SocketChannel channel = SocketChannel.open()) {
          channel.socket().connect(target, TIMEOUT_MS);
          return overSocket(channel.socket(), message);
        }
      case "nonblocking":
        return nonBlocking(target, message);
      case "async":
        return async(target, message);
      default:
        throw new IllegalArgumentException("MODE : " + mode
            + " (expected: socket, channel, adaptor, nonblocking, async, virtual:N)");
    }
  }

  private static String overSocket(Socket socket, String message) throws IOException {
    socket.setSoTimeout(TIMEOUT_MS);
    socket.getOutputStream().write((message + "\n").getBytes(StandardCharsets.UTF_8));
    StringBuilder line = new StringBuilder();
    int c;
    while ((c = socket.getInputStream().read()) >= 0 && c != '\n') {
      line.append((char) c);
    }
    return line.toString();
  }

  private static String nonBlocking(InetSocketAddress target, String message) throws IOException {
    try (Selector selector = Selector.open(); SocketChannel channel = SocketChannel.open()) {
      channel.configureBlocking(false);
      if (!channel.connect(target)) {
        SelectionKey key = channel.register(selector, SelectionKey.OP_CONNECT);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (!channel.finishConnect()) {
          long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
          if (left <= 0) {
            throw new SocketTimeoutException("non-blocking connect did not finish in " + TIMEOUT_MS + " ms");
          }
          selector.select(left);
          selector.selectedKeys().clear();
        }
        key.cancel();
        selector.selectNow(); // deregisters, so the channel may go back to blocking mode
      }
      channel.configureBlocking(true);
      return overSocket(channel.socket(), message);
    }
  }

  private static String async(InetSocketAddress target, String message) throws Exception {
    try (AsynchronousSocketChannel channel = AsynchronousSocketChannel.open()) {
      try {
        channel.connect(target).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        throw e.getCause() instanceof IOException ? (IOException) e.getCause() : e;
      }
      channel.write(ByteBuffer.wrap((message + "\n").getBytes(StandardCharsets.UTF_8))).get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
      ByteBuffer in = ByteBuffer.allocate(512);
      StringBuilder line = new StringBuilder();
      while (line.indexOf("\n") < 0) {
        in.clear();
        if (channel.read(in).get(TIMEOUT_MS, TimeUnit.MILLISECONDS) < 0) {
          break;
        }
        in.flip();
        line.append(StandardCharsets.UTF_8.decode(in));
      }
      return line.toString().strip();
    }
  }

  /** N virtual threads connect at once (JDK 21+ API, looked up reflectively: this jar targets Java 17). */
  private static void virtualThreads(int n, InetSocketAddress target, String message) throws Exception {
    if (n < 1 || n > 1000) {
      throw new IllegalArgumentException("virtual:N : " + n + " (expected: 1..1000)");
    }
    ExecutorService executor = (ExecutorService) Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
    List<Future<String>> replies = new ArrayList<>();
    try {
      for (int i = 0; i < n; i++) {
        String own = message + "-" + i;
        Callable<String> task = () -> exchange("socket", target, own);
        replies.add(executor.submit(task));
      }
      for (Future<String> reply : replies) {
        try {
          System.out.println("reply: " + reply.get(30, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
          throw e.getCause() instanceof IOException ? (IOException) e.getCause() : e;
        }
      }
    } finally {
      executor.shutdownNow();
    }
  }

  private ConnectModes() {}
}
