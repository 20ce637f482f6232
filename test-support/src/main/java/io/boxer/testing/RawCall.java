package io.boxer.testing;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A streaming call that sends and receives raw message bytes, so that the server's protobuf parser sees
 * exactly the bytes a test chose (garbage included). Send from one thread; what arrives is collected.
 */
public final class RawCall {
  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  };

  private final ClientCall<byte[], byte[]> call;
  private final List<byte[]> received = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Status> closed = new CompletableFuture<>();

  private RawCall(ClientCall<byte[], byte[]> call) {
    this.call = call;
  }

  /** {@code method} with its messages as bytes. */
  public static MethodDescriptor<byte[], byte[]> bytes(MethodDescriptor<?, ?> method) {
    return method.toBuilder(BYTES, BYTES).build();
  }

  /**
   * Starts a call that fails with DEADLINE_EXCEEDED after {@code deadline}.
   *
   * @param read whether to take what the server sends (false: never read, so flow control holds the server back)
   */
  public static RawCall start(Channel channel, MethodDescriptor<byte[], byte[]> method, Duration deadline,
      boolean read) {
    RawCall raw = new RawCall(channel.newCall(method,
        CallOptions.DEFAULT.withDeadlineAfter(deadline.toMillis(), TimeUnit.MILLISECONDS)));
    raw.call.start(new ClientCall.Listener<>() {
      @Override
      public void onMessage(byte[] message) {
        raw.received.add(message);
      }

      @Override
      public void onClose(Status status, Metadata trailers) {
        raw.closed.complete(status);
      }
    }, new Metadata());
    if (read) {
      raw.read();
    }
    return raw;
  }

  public void send(byte[] message) {
    call.sendMessage(message);
  }

  public void halfClose() {
    call.halfClose();
  }

  public void cancel() {
    call.cancel("the test cancels", null);
  }

  /** Whether the transport takes more messages now without buffering them (flow control). */
  public boolean isReady() {
    return call.isReady();
  }

  /** From now on, takes everything the server sends. */
  public void read() {
    call.request(Integer.MAX_VALUE);
  }

  /** What arrived so far, in order. */
  public List<byte[]> received() {
    return received;
  }

  /** Waits until a first message arrives or the call ends, at most {@code timeout}. */
  public void awaitFirstMessage(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (received.isEmpty() && !closed.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
  }

  public boolean isClosed() {
    return closed.isDone();
  }

  /** How the call ended, or null if it is still open after {@code timeout}. */
  public Status awaitClose(Duration timeout) throws InterruptedException {
    try {
      return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      return null;
    } catch (ExecutionException e) {
      throw new AssertionError(e);
    }
  }
}
