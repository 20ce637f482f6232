package io.boxer.agent.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.boxer.proto.agent.v1.AgentRequest;
import io.boxer.proto.agent.v1.Prime;
import io.boxer.proto.agent.v1.PrimeReply;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * One persistent connection to the local node that carries the primes of every thread of this JVM at once (a
 * prime channel, boxer/agent/v1/agent.proto): each prime has a request id, and the replies come in whatever order
 * the node answers.
 *
 * <p>Who reads the replies (leader/follower): a caller that waits for its reply while nobody else reads takes the
 * <em>read role</em> and reads the socket itself, handing other threads' replies to them, until its own arrives;
 * the kernel then wakes that caller directly. Waking a reader thread that then wakes the caller cost a second
 * thread wake-up per prime, ~50-100 µs of latency on a busy host (docs/prime-path.md). Callers that find the role
 * taken wait for their reply to be handed to them. The reader thread, {@value #READER_NAME}, reads only when replies
 * are awaited and no caller reads: for primes nobody waits on ({@link #primeAsync}) and for replies still due
 * when a reading caller leaves. Every holder of the role re-checks after giving it up, so a reply that is awaited
 * always has a reader.
 *
 * <p>Bounds: at most {@value #MAX_IN_FLIGHT} primes are unanswered at once (the node's limit per channel); a
 * caller beyond that waits for a slot within its own deadline. A slot is freed by the reply (or the channel's
 * end), not by its caller's timeout: the node is never asked for more than it accepts, and the few bytes of
 * requests it has not read always fit in the socket's buffer, so a write never waits. A reply of more than
 * {@value #MAX_REPLY_BYTES} bytes ends the channel before it is stored.
 *
 * <p>The socket is non-blocking: the JDK closes a channel whose blocking I/O is interrupted, and an interrupted
 * application thread must not end every other thread's prime. Once closed (the node closed the connection or went
 * away, sent a malformed or oversized reply, or a write failed) every waiting prime fails with the reason and the
 * channel is never used again; {@link PrimeClient} opens a new one. Thread-safe.
 */
final class PrimeChannel {

  /** Unanswered primes per channel at most; the node closes a channel that sends more (agent.proto). */
  static final int MAX_IN_FLIGHT = 64;

  /** The longest reply accepted (a PrimeReply is a few dozen bytes). */
  static final int MAX_REPLY_BYTES = 64 * 1024;

  static final String READER_NAME = "boxer-prime-reader";

  /** A prime that never reached the node (the channel had ended): it may be sent again on a new channel. */
  static final class NotSentException extends IOException {
    private static final long serialVersionUID = 1L;

    NotSentException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private final SocketChannel channel;
  private final Selector selector; // used by the holder of the read role only
  private final ReentrantLock readRole = new ReentrantLock();
  private ByteBuffer in = ByteBuffer.allocate(256); // the holder of the read role only: may hold a partial frame
  private final Thread reader = new Thread(this::readWhileNobodyElseDoes, READER_NAME);
  private final Semaphore slots = new Semaphore(MAX_IN_FLIGHT);
  private final Map<Long, CompletableFuture<PrimeReply>> waiting = new ConcurrentHashMap<>();
  private final AtomicLong nextId = new AtomicLong(1);
  private final Object writeLock = new Object();
  private final AtomicReference<IOException> closed = new AtomicReference<>();

  private PrimeChannel(SocketChannel channel, Selector selector) {
    this.channel = channel;
    this.selector = selector;
  }

  /**
   * Takes over {@code connected} (a connected, non-blocking socket to the node) and starts its reader thread. On
   * failure the socket is closed.
   */
  static PrimeChannel open(SocketChannel connected) throws IOException {
    return open(connected, true);
  }

  /** {@link #open(SocketChannel)}; without the reader thread only callers read replies (tests). */
  static PrimeChannel open(SocketChannel connected, boolean startReader) throws IOException {
    Selector selector = null;
    try {
      selector = Selector.open();
      connected.register(selector, SelectionKey.OP_READ);
      PrimeChannel channel = new PrimeChannel(connected, selector);
      channel.reader.setDaemon(true);
      if (startReader) {
        channel.reader.start();
      }
      return channel;
    } catch (IOException | RuntimeException | Error e) {
      connected.close();
      if (selector != null) {
        selector.close();
      }
      throw e;
    }
  }

  /** Whether the channel can still take primes. */
  boolean isOpen() {
    return closed.get() == null;
  }

  /**
   * Sends {@code prime} with a fresh request id and waits for its reply until {@code deadline}
   * ({@link System#nanoTime()}).
   *
   * @throws NotSentException when the channel had ended before the request was sent
   * @throws IOException when the deadline passes ("timed out ...") or the channel ends meanwhile (the message
   *     says why)
   */
  PrimeReply prime(Prime.Builder prime, long deadline) throws IOException {
    acquireSlot(deadline);
    return await(submit(prime, deadline), deadline);
  }

  /**
   * Sends {@code prime} with a fresh request id if a slot is free at once, without waiting for its reply: for
   * primes nobody waits on (the warm port pool), which never hold an application thread up.
   *
   * @return completes with the reply, or exceptionally when the channel ends first
   * @throws NotSentException when the channel had ended before the request was sent
   * @throws IOException when no slot is free, or the write failed
   */
  CompletableFuture<PrimeReply> primeAsync(Prime.Builder prime, long deadline) throws IOException {
    if (!slots.tryAcquire()) {
      throw new IOException("all " + MAX_IN_FLIGHT + " primes of this JVM are unanswered");
    }
    CompletableFuture<PrimeReply> reply = submit(prime, deadline);
    LockSupport.unpark(reader); // nobody waits on this reply: the reader thread reads it unless a caller does
    return reply;
  }

  /** Sends {@code prime} with a fresh id, holding a slot the caller took; the future completes with its reply. */
  private CompletableFuture<PrimeReply> submit(Prime.Builder prime, long deadline) throws IOException {
    long id = nextId.getAndIncrement();
    CompletableFuture<PrimeReply> reply = new CompletableFuture<>();
    waiting.put(id, reply);
    IOException down = closed.get();
    if (down != null) { // closed before the put: close() may not have seen this entry
      forget(id);
      throw new NotSentException(down.getMessage(), down);
    }
    send(frame(prime.setRequestId(id)), id, deadline);
    return reply;
  }

  private void acquireSlot(long deadline) throws IOException {
    try {
      if (!slots.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
        throw new IOException("timed out waiting for the reply (" + MAX_IN_FLIGHT
            + " primes of this JVM are still unanswered)");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the node");
    }
  }

  private static ByteBuffer frame(Prime.Builder prime) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
    AgentRequest.newBuilder().setPrime(prime).build().writeDelimitedTo(bytes);
    return ByteBuffer.wrap(bytes.toByteArray());
  }

  /**
   * Writes the whole frame; the bounds above make a write that takes less than all of it a rare event.
   *
   * @throws NotSentException when the write fails (the node is gone or restarting: nothing it acts on arrived)
   */
  private void send(ByteBuffer frame, long id, long deadline) throws IOException {
    synchronized (writeLock) {
      while (frame.hasRemaining()) {
        int n;
        try {
          n = channel.write(frame);
        } catch (IOException e) {
          IOException failure = new IOException("sending to the Boxer node failed: " + e, e);
          close(failure);
          forget(id);
          throw new NotSentException(failure.getMessage(), failure);
        }
        if (n == 0) {
          if (System.nanoTime() - deadline >= 0) {
            // a partial frame would garble the next request: this channel is done (close fails this prime too)
            IOException stuck = new IOException("timed out sending the request (the Boxer node does not read)");
            close(stuck);
            throw stuck;
          }
          LockSupport.parkNanos(50_000);
        }
      }
    }
  }

  /** Waits for {@code reply} until {@code deadline}, reading the socket itself if nobody else does. */
  private PrimeReply await(CompletableFuture<PrimeReply> reply, long deadline) throws IOException {
    // not while this thread reads already (a completion callback that primes): the read in progress owns the buffer
    if (!reply.isDone() && !readRole.isHeldByCurrentThread() && readRole.tryLock()) {
      try {
        readWhile(() -> !reply.isDone(), true, deadline);
      } finally {
        leaveReadRole();
      }
    }
    try {
      return reply.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      throw new IOException("timed out waiting for the reply");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      throw new IOException(cause.getMessage(), cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the reply");
    }
  }

  /** Drops a prime that was not sent, and frees its slot (once). */
  private void forget(long id) {
    if (waiting.remove(id) != null) {
      slots.release();
    }
  }

  /**
   * The reader thread: reads while replies are awaited and no caller holds the read role; parks otherwise (a
   * caller that leaves the role, or a prime nobody waits on, unparks it). Closes the selector once the channel
   * has ended.
   */
  private void readWhileNobodyElseDoes() {
    try {
      while (isOpen()) {
        Thread.interrupted(); // only close() ends this thread: an interrupt must not make it spin
        if (waiting.isEmpty() || !readRole.tryLock()) {
          LockSupport.park(this);
          continue;
        }
        try {
          readWhile(() -> !waiting.isEmpty(), false, 0);
        } finally {
          readRole.unlock(); // the loop's next round re-checks for replies awaited meanwhile
        }
      }
    } finally {
      readRole.lock(); // a caller reading now leaves at once: close() woke its selector and failed its prime
      try {
        selector.close(); // deregisters the socket, which close() has closed: its descriptor is released now
      } catch (IOException e) {
        // nothing left to release
      } finally {
        readRole.unlock();
      }
    }
  }

  /**
   * Gives up the read role; if replies are still awaited (others', or this caller's after its deadline), the
   * reader thread takes over. Checked after the unlock: a caller that found the role taken before it was given
   * up has its entry in {@code waiting} by then.
   */
  private void leaveReadRole() {
    readRole.unlock();
    if (!waiting.isEmpty()) {
      LockSupport.unpark(reader);
    }
  }

  /**
   * With the read role: reads and hands out replies while {@code more} holds, the channel is open and, if
   * {@code bounded}, until {@code deadline} ({@link System#nanoTime()}); returns early when this thread is
   * interrupted (its caller reports that). A failure to read, or a malformed reply, ends the channel.
   */
  private void readWhile(BooleanSupplier more, boolean bounded, long deadline) {
    try {
      while (more.getAsBoolean() && isOpen()) {
        int n = readSome(in);
        if (n < 0) {
          throw new IOException("the Boxer node closed the connection");
        }
        if (n == 0) {
          if (!select(bounded, deadline)) {
            return;
          }
          continue;
        }
        byte[] message;
        while ((message = takeReply(in)) != null) {
          deliver(parse(message));
        }
        if (!in.hasRemaining()) { // a frame longer than the buffer, within the cap (takeReply checked it)
          in = ByteBuffer.allocate(Math.min(in.capacity() * 4, MAX_REPLY_BYTES + 5)).put(in.flip());
        }
      }
    } catch (IOException e) {
      close(e);
    } catch (RuntimeException | Error e) { // e.g. the selector closed under us: end the channel, never hang
      close(new IOException("the Boxer node's reply reader failed: " + e, e));
    }
  }

  /** Waits for the socket to be readable; false once the deadline (if bounded) has passed, or on an interrupt. */
  private boolean select(boolean bounded, long deadline) throws IOException {
    if (!bounded) {
      selector.select();
    } else {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999)));
    }
    selector.selectedKeys().clear();
    return !Thread.currentThread().isInterrupted();
  }

  private int readSome(ByteBuffer buffer) throws IOException {
    try {
      return channel.read(buffer);
    } catch (IOException e) {
      throw new IOException("reading from the Boxer node failed: " + e, e);
    }
  }

  private static byte[] takeReply(ByteBuffer in) throws IOException {
    try {
      return DelimitedFrames.take(in, MAX_REPLY_BYTES);
    } catch (IOException e) {
      throw new IOException("malformed reply from the Boxer node: " + e.getMessage(), e);
    }
  }

  private static PrimeReply parse(byte[] message) throws IOException {
    try {
      return PrimeReply.parseFrom(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IOException("malformed reply from the Boxer node: " + e.getMessage(), e);
    }
  }

  /** A reply for a prime nobody waits for any more (a late reply after a restart of ids) is dropped. */
  private void deliver(PrimeReply reply) {
    CompletableFuture<PrimeReply> prime = waiting.remove(reply.getRequestId());
    if (prime != null) {
      slots.release();
      prime.complete(reply);
    }
  }

  /** Ends the channel once: closes the socket, wakes the reader and fails every waiting prime with {@code why}. */
  void close(IOException why) {
    if (!closed.compareAndSet(null, why)) {
      return;
    }
    try {
      channel.close();
    } catch (IOException e) {
      why.addSuppressed(e);
    }
    selector.wakeup(); // a caller or the reader thread reading now sees the end
    LockSupport.unpark(reader); // a parked reader thread closes the selector
    for (Long id : waiting.keySet()) {
      CompletableFuture<PrimeReply> prime = waiting.remove(id);
      if (prime != null) {
        slots.release();
        prime.completeExceptionally(why);
      }
    }
  }
}
