package io.boxer.control;

import io.grpc.Status;
import io.grpc.stub.CallStreamObserver;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The one sender of a gRPC stream's outbound messages. gRPC's observers are not thread-safe and buffer
 * without bound when the peer does not read; this owner serializes every send under its own lock and
 * respects flow control: while the transport is not ready, messages wait in a queue of at most
 * {@code maxQueued}; a peer that lets more pile up is cut off with RESOURCE_EXHAUSTED (and {@code onOverflow}
 * is told), so a peer that never reads costs a bounded amount of memory.
 *
 * <p>Create it where the stream starts (a server method, or a client observer's {@code beforeStart}) so that
 * the ready handler is registered in time. After {@link #complete()} or {@link #fail(Status)} every send is
 * dropped. Thread-safe.
 */
public final class OutboundStream<T> {
  private final CallStreamObserver<T> stream;
  private final int maxQueued;
  private final Consumer<Status> onOverflow;
  private final ArrayDeque<T> queued = new ArrayDeque<>();
  // @GuardedBy("this")
  private boolean ended;

  /**
   * @param maxQueued messages that may wait for the transport, >= 1
   * @param onOverflow told (outside the lock) when the stream was cut off for not reading
   */
  public OutboundStream(CallStreamObserver<T> stream, int maxQueued, Consumer<Status> onOverflow) {
    if (maxQueued < 1) {
      throw new IllegalArgumentException("maxQueued : " + maxQueued + " (expected: >= 1)");
    }
    this.stream = stream;
    this.maxQueued = maxQueued;
    this.onOverflow = onOverflow;
    stream.setOnReadyHandler(this::drain);
  }

  /** Sends {@code message} now or once the transport is ready; false if the stream has ended or overflowed. */
  public boolean send(T message) {
    Status overflow = null;
    synchronized (this) {
      if (ended) {
        return false;
      }
      if (queued.isEmpty() && stream.isReady()) {
        return write(message);
      }
      if (queued.size() < maxQueued) {
        queued.add(message);
        return true;
      }
      overflow = Status.RESOURCE_EXHAUSTED.withDescription(
          "the peer did not read " + maxQueued + " queued messages (flow control)");
      end(overflow);
    }
    onOverflow.accept(overflow);
    return false;
  }

  /** Ends the stream normally once; queued messages are dropped (the peer is going away). */
  public synchronized void complete() {
    if (!ended) {
      ended = true;
      queued.clear();
      try {
        stream.onCompleted();
      } catch (RuntimeException e) {
        // already cancelled by the peer: nothing to end
      }
    }
  }

  /** Ends the stream with an error status once. */
  public synchronized void fail(Status status) {
    end(status);
  }

  /** Whether the stream has ended (completed, failed or overflowed). */
  public synchronized boolean ended() {
    return ended;
  }

  /** How many messages wait for the transport. */
  public synchronized int queued() {
    return queued.size();
  }

  private void drain() {
    synchronized (this) {
      while (!ended && !queued.isEmpty() && stream.isReady()) {
        write(queued.poll());
      }
    }
  }

  // @GuardedBy("this")
  private boolean write(T message) {
    try {
      stream.onNext(message);
      return true;
    } catch (RuntimeException e) {
      // the call was cancelled under us: the stream is over
      ended = true;
      queued.clear();
      return false;
    }
  }

  // @GuardedBy("this")
  private void end(Status status) {
    if (!ended) {
      ended = true;
      queued.clear();
      try {
        stream.onError(status.asRuntimeException());
      } catch (RuntimeException e) {
        // already cancelled
      }
    }
  }
}
