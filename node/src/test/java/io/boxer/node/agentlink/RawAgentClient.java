package io.boxer.node.agentlink;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.MessageLite;
import com.google.protobuf.Parser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A test client of the agent socket that sends any bytes and never waits longer than it is told: every read
 * has a deadline, so a test against an endpoint that never answers fails instead of hanging. Not thread-safe.
 */
final class RawAgentClient implements AutoCloseable {
  private final SocketChannel channel;
  private final Selector selector;
  private final SelectionKey key;
  private ByteBuffer in = ByteBuffer.allocate(1024);
  private boolean ended;

  private RawAgentClient(SocketChannel channel) throws IOException {
    this.channel = channel;
    channel.configureBlocking(false);
    this.selector = Selector.open();
    this.key = channel.register(selector, 0);
  }

  /** Connects (blocking: the endpoint's backlog may be full for a moment). */
  static RawAgentClient connect(Path socket) throws IOException {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    try {
      channel.connect(UnixDomainSocketAddress.of(socket));
      return new RawAgentClient(channel);
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  static byte[] frame(MessageLite message) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    message.writeDelimitedTo(bytes);
    return bytes.toByteArray();
  }

  void send(MessageLite message) throws IOException, TimeoutException {
    send(frame(message), Duration.ofSeconds(5));
  }

  /** Writes all of {@code bytes} within {@code timeout}. */
  void send(byte[] bytes, Duration timeout) throws IOException, TimeoutException {
    ByteBuffer out = ByteBuffer.wrap(bytes);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (out.hasRemaining()) {
      if (channel.write(out) == 0) {
        await(SelectionKey.OP_WRITE, deadline);
      }
    }
  }

  /** Writes what the socket takes at once of {@code bytes}; a closed connection is not an error. */
  void sendSome(byte[] bytes) {
    try {
      channel.write(ByteBuffer.wrap(bytes));
    } catch (IOException e) {
      // the endpoint closed already: what it answered can still be read
    }
  }

  void shutdownOutput() throws IOException {
    channel.shutdownOutput();
  }

  /**
   * Reads the next delimited message.
   *
   * @return the message, or null when the endpoint closed the connection first
   * @throws TimeoutException when neither happened within {@code timeout}
   */
  <T> T read(Parser<T> parser, Duration timeout) throws IOException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      T message = parseBuffered(parser);
      if (message != null) {
        return message;
      }
      if (ended) {
        return null;
      }
      fill(deadline);
    }
  }

  /** Drains everything until the endpoint closes the connection; false when it did not within {@code timeout}. */
  boolean awaitClosed(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (!ended) {
        in.clear(); // drop what came: only the end matters here
        fill(deadline);
      }
      return true;
    } catch (TimeoutException e) {
      return false;
    }
  }

  private <T> T parseBuffered(Parser<T> parser) throws IOException {
    int available = in.position();
    if (available == 0) {
      return null;
    }
    CodedInputStream coded = CodedInputStream.newInstance(in.array(), 0, available);
    int length;
    try {
      length = coded.readRawVarint32();
    } catch (IOException e) {
      return null; // prefix incomplete
    }
    int prefix = coded.getTotalBytesRead();
    if (available - prefix < length) {
      return null;
    }
    T message = parser.parseFrom(ByteBuffer.wrap(in.array(), prefix, length));
    in.flip().position(prefix + length);
    in.compact();
    return message;
  }

  /** Reads once, waiting up to the deadline for bytes; marks the end on end of stream or reset. */
  private void fill(long deadline) throws IOException, TimeoutException {
    if (!in.hasRemaining()) {
      ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
      in.flip();
      bigger.put(in);
      in = bigger;
    }
    while (true) {
      int n;
      try {
        n = channel.read(in);
      } catch (IOException e) { // "Connection reset by peer": the endpoint closed with our bytes unread
        ended = true;
        return;
      }
      if (n < 0) {
        ended = true;
        return;
      }
      if (n > 0) {
        return;
      }
      await(SelectionKey.OP_READ, deadline);
    }
  }

  private void await(int op, long deadline) throws IOException, TimeoutException {
    key.interestOps(op);
    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    if (left <= 0) {
      throw new TimeoutException("the endpoint neither answered nor closed in time");
    }
    selector.selectedKeys().clear();
    selector.select(left);
  }

  @Override
  public void close() throws IOException {
    try {
      selector.close();
    } finally {
      channel.close();
    }
  }
}
