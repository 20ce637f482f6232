package io.boxer.node.agentlink;

import io.boxer.proto.agent.v1.PrimeReply;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The primes of one prime channel (boxer/agent/v1/agent.proto: an agent's persistent connection whose primes
 * carry request ids): which are in flight, and the replies the socket has not taken yet.
 *
 * <p>A reply is written on the thread that completes its prime (usually the mesh link's Netty event loop, which
 * read the peer's answer), not handed to the endpoint's thread first: that hand-off was a thread wake-up on every
 * prime's path. Only what the socket does not take at once waits here, for the endpoint's loop to write when the
 * socket is writable ({@code wantWritable} asks it to).
 *
 * <p>Bounds: at most {@value #MAX_IN_FLIGHT} primes in flight (the agent waits for a reply before it sends
 * more; a channel that exceeds it is closed by its connection), and at most {@value #MAX_QUEUED_BYTES} bytes of
 * replies waiting (an agent that does not read its replies has its channel closed: {@code fail}).
 *
 * <p>Thread-safe: {@link #start} and {@link #expire} on the loop thread, {@link #answer} on any thread,
 * {@link #flush} and {@link #close} on the loop thread; writes are serialized by this object's lock.
 */
final class PrimeChannelSession {

  /** Primes in flight per channel at most (agent.proto; the agent's PrimeChannel.MAX_IN_FLIGHT). */
  static final int MAX_IN_FLIGHT = 64;

  /** Reply bytes that may wait for an agent that does not read, at most (a reply is a few dozen bytes). */
  static final int MAX_QUEUED_BYTES = 64 * 1024;

  private final WritableByteChannel channel;
  private final Runnable wantWritable;
  private final Consumer<String> fail;
  private final Map<Long, Long> inFlight = new ConcurrentHashMap<>(); // request id -> deadline (nanoTime)
  // @GuardedBy("this")
  private final ArrayDeque<ByteBuffer> queued = new ArrayDeque<>();
  // @GuardedBy("this")
  private int queuedBytes;
  // @GuardedBy("this")
  private boolean closed;

  /**
   * @param wantWritable asks the loop to write {@link #flush} when the socket is writable; called from any thread,
   *     under this object's lock, must not block
   * @param fail asks the loop to close the connection with a reason; any thread, under the lock, must not block
   */
  PrimeChannelSession(WritableByteChannel channel, Runnable wantWritable, Consumer<String> fail) {
    this.channel = channel;
    this.wantWritable = wantWritable;
    this.fail = fail;
  }

  /**
   * Takes prime {@code id} in flight until {@code deadlineNanos}.
   *
   * @return false if {@code id} is 0 or already in flight, or {@value #MAX_IN_FLIGHT} primes are: the agent broke
   *     the protocol
   */
  boolean start(long id, long deadlineNanos) {
    if (id == 0 || inFlight.size() >= MAX_IN_FLIGHT) {
      return false;
    }
    return inFlight.putIfAbsent(id, deadlineNanos) == null;
  }

  /** How many primes are in flight. */
  int inFlight() {
    return inFlight.size();
  }

  /**
   * Sends the reply of prime {@code id}, now if the socket takes it; a prime answered before (by {@link #expire})
   * or after {@link #close} is dropped. Any thread.
   */
  void answer(long id, PrimeReply reply) {
    if (inFlight.remove(id) == null) {
      return;
    }
    ByteBuffer frame = AgentConnection.frame(reply.toBuilder().setRequestId(id).build());
    synchronized (this) {
      if (closed) {
        return;
      }
      if (queuedBytes + frame.remaining() > MAX_QUEUED_BYTES) {
        closed = true;
        fail.accept("the agent does not read its replies (" + queuedBytes + " bytes waiting)");
        return;
      }
      queued.add(frame);
      queuedBytes += frame.remaining();
      if (queued.size() == 1 && !writeQueued()) {
        wantWritable.run();
      }
    }
  }

  /** Answers FAILED every prime whose deadline passed; on the loop thread. */
  void expire(long nowNanos, PrimeReply failed) {
    List<Long> late = new ArrayList<>();
    inFlight.forEach((id, deadline) -> {
      if (nowNanos - deadline >= 0) {
        late.add(id);
      }
    });
    late.forEach(id -> answer(id, failed));
  }

  /**
   * Writes what waits, on the loop thread when the socket became writable.
   *
   * @return true when nothing waits any more
   */
  synchronized boolean flush() {
    return closed || writeQueued();
  }

  /** Drops what waits and every later reply. */
  synchronized void close() {
    closed = true;
    queued.clear();
    queuedBytes = 0;
    inFlight.clear();
  }

  // @GuardedBy("this")
  private boolean writeQueued() {
    try {
      while (!queued.isEmpty()) {
        ByteBuffer head = queued.peek();
        queuedBytes -= channel.write(head);
        if (head.hasRemaining()) {
          return false;
        }
        queued.poll();
      }
      return true;
    } catch (IOException e) {
      closed = true;
      queued.clear();
      fail.accept("write failed: " + e);
      return true;
    }
  }
}
