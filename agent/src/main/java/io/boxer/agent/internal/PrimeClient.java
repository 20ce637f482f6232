package io.boxer.agent.internal;

import com.google.protobuf.ByteString;
import io.boxer.proto.agent.v1.AgentRequest;
import io.boxer.proto.agent.v1.Prime;
import io.boxer.proto.agent.v1.PrimeReply;
import io.boxer.proto.v1.Endpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * One {@code AgentRequest{prime}} exchange with the local node per call, on a fresh Unix domain socket
 * connection. Every step (connect, write, read) shares one deadline, so a call never blocks longer than the
 * timeout plus {@value #GRACE_MILLIS} ms. Thread-safe (no shared state). The protobuf classes load on the first
 * call, not with this class.
 */
final class PrimeClient implements BoxerSocketHook.Primer {

  /** Extra wait beyond the timeout sent to the node, for its FAILED reply to arrive. */
  static final int GRACE_MILLIS = 250;

  private static final int MAX_REPLY_BYTES = 64 * 1024;
  /** How long a refused connect to the node is retried. */
  static final int CONNECT_RETRY_MILLIS = 200;

  private final Path socketPath;

  PrimeClient(Path socketPath) {
    this.socketPath = socketPath;
  }

  /** The request for a prime of {@code remote:port} for a client socket bound to {@code localPort}. */
  static AgentRequest request(int localPort, InetAddress remote, int port, int timeoutMillis) {
    return AgentRequest.newBuilder()
        .setPrime(Prime.newBuilder()
            .setLocalPort(localPort)
            .setRemote(Endpoint.newBuilder().setIp(ByteString.copyFrom(remote.getAddress())).setPort(port))
            .setTimeoutMs(timeoutMillis))
        .build();
  }

  /**
   * Sends the prime request and reads the one reply.
   *
   * @throws IOException when the node cannot be reached, closes early, answers garbage, or does not answer in
   *     time (the message says which)
   */
  @Override
  public PrimeReply prime(int localPort, InetAddress remote, int port, int timeoutMillis) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    request(localPort, remote, port, timeoutMillis).writeDelimitedTo(bytes);
    ByteBuffer out = ByteBuffer.wrap(bytes.toByteArray());
    ByteBuffer in = ByteBuffer.allocate(256);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos((long) timeoutMillis + GRACE_MILLIS);

    try (SocketChannel ch = connect(deadline);
         Selector selector = Selector.open()) {
      SelectionKey key = ch.register(selector, 0);
      while (out.hasRemaining()) {
        if (ch.write(out) == 0) {
          await(selector, key, SelectionKey.OP_WRITE, deadline, "sending the request");
        }
      }
      while (true) {
        byte[] message = DelimitedFrames.complete(in, MAX_REPLY_BYTES);
        if (message != null) {
          return PrimeReply.parseFrom(message);
        }
        if (!in.hasRemaining()) {
          ByteBuffer bigger = ByteBuffer.allocate(Math.min(in.capacity() * 4, MAX_REPLY_BYTES + 5));
          in.flip();
          bigger.put(in);
          in = bigger;
        }
        int n = ch.read(in);
        if (n < 0) {
          throw new IOException("the node closed the connection without a reply");
        }
        if (n == 0) {
          await(selector, key, SelectionKey.OP_READ, deadline, "waiting for the reply");
        }
      }
    }
  }

  /**
   * A non-blocking connection to the node. A Unix socket's connect fails at once when the node's accept queue
   * is full (EAGAIN: many connects started together), so a failed connect is tried again, backing off from
   * 1 ms, for at most {@value #CONNECT_RETRY_MILLIS} ms (or the deadline): long enough for the node to accept,
   * short enough that a node that is gone fails the application's connect promptly.
   */
  private SocketChannel connect(long deadline) throws IOException {
    long retryUntil = Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_RETRY_MILLIS));
    long pauseMillis = 1;
    while (true) {
      SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        // non-blocking: a full accept queue fails at once instead of blocking without a deadline
        ch.configureBlocking(false);
        if (ch.connect(UnixDomainSocketAddress.of(socketPath)) || finishWithin(ch, deadline)) {
          return ch;
        }
        throw new IOException("timed out connecting to the node");
      } catch (IOException e) {
        ch.close();
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMillis) - retryUntil > 0) {
          throw e;
        }
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while connecting to the node", e);
      }
      pauseMillis = Math.min(pauseMillis * 2, 32);
    }
  }

  /** A connect still in progress (Linux completes Unix socket connects at once; this is for others). */
  private static boolean finishWithin(SocketChannel ch, long deadline) throws IOException {
    try (Selector selector = Selector.open()) {
      SelectionKey key = ch.register(selector, 0);
      await(selector, key, SelectionKey.OP_CONNECT, deadline, "connecting to the node");
      key.cancel();
      selector.selectNow(); // deregister before the channel is used with another selector
      return ch.finishConnect();
    }
  }

  private static void await(Selector selector, SelectionKey key, int op, long deadline, String step)
      throws IOException {
    key.interestOps(op);
    while (true) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        throw new IOException("timed out " + step);
      }
      selector.selectedKeys().clear();
      if (selector.select(left) > 0 && (key.readyOps() & op) != 0) {
        return;
      }
    }
  }
}
