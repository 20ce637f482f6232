package io.boxer.node.agentlink;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.boxer.node.agentlink.RequestFrameDecoder.MalformedFrameException;
import io.boxer.node.membership.Peer;
import io.boxer.proto.agent.v1.AgentRequest;
import io.boxer.proto.agent.v1.MembershipView;
import io.boxer.proto.agent.v1.Prime;
import io.boxer.proto.agent.v1.PrimeReply;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoOps;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agent connection and its exchange (boxer/agent/v1/agent.proto): it reads one request, then either answers
 * a prime or a status request once and closes, or streams membership views until the agent leaves, or (a prime
 * with a request id) serves it as a prime channel: reads primes until the agent leaves, any number in flight
 * ({@link PrimeChannelSession}), each answered on the thread that completes it.
 *
 * <p>Thread: every method runs on the endpoint's loop thread, except the membership listener and the prime's
 * completion, which only hand work to the loop ({@link EndpointLoop#execute}). Nothing here blocks.
 *
 * <p>Memory: while reading, one request body of at most {@link EndpointLimits#maxRequestBytes()}; then at most
 * one encoded frame being written and, for a watch, one newer membership snapshot waiting: a view overtaken
 * before it could be written is dropped, so an agent that stops reading costs one view, not a backlog.
 *
 * <p>Time: the request must be complete within {@link EndpointLimits#requestDeadline()}; a prime is answered
 * within the primer's time, or FAILED {@value #PRIME_GRACE_MILLIS} ms after the agent's own timeout; a reply
 * must be taken within the request deadline. A watch has no deadline.
 */
final class AgentConnection {
  private static final Logger log = LoggerFactory.getLogger(AgentConnection.class);

  /**
   * How long past the agent's {@code timeout_ms} a prime may stay unanswered before the endpoint answers FAILED
   * itself. The primer answers within its own timeout; this only keeps a connection slot from being held by a
   * prime that never completes. The agent has stopped waiting by then (it allows 250 ms).
   */
  static final long PRIME_GRACE_MILLIS = 1000;

  private enum State { READING_REQUEST, PRIMING, REPLYING, WATCHING, PRIME_CHANNEL, CLOSED }

  private final EndpointLoop loop;
  private final long id;
  private final SocketChannel channel;
  private final IoRegistration registration; // its socket's registration with the endpoint's event loop
  private State state = State.READING_REQUEST;
  private RequestFrameDecoder decoder;
  private long deadlineNanos;
  private ByteBuffer out; // the frame being written, null when none
  private Consumer<List<Peer>> listener; // non-null while registered with the membership
  private final AtomicReference<List<Peer>> newestPeers = new AtomicReference<>();
  private final AtomicBoolean viewTaskQueued = new AtomicBoolean();
  private PrimeChannelSession session; // non-null in PRIME_CHANNEL
  private final AtomicBoolean writeTaskQueued = new AtomicBoolean(); // PRIME_CHANNEL: OP_WRITE asked for

  /** A connection just accepted: {@code registration} is its socket's, and asks for nothing until the loop does. */
  AgentConnection(EndpointLoop loop, long id, SocketChannel channel, IoRegistration registration, long nowNanos) {
    this.loop = loop;
    this.id = id;
    this.channel = channel;
    this.registration = registration;
    this.decoder = new RequestFrameDecoder(loop.limits.maxRequestBytes());
    this.deadlineNanos = nowNanos + loop.limits.requestDeadline().toNanos();
  }

  /** The channel is readable: more of the request, or (watch) the agent's end of stream. */
  void onReadable(ByteBuffer scratch) {
    if (state != State.READING_REQUEST && state != State.WATCHING && state != State.PRIME_CHANNEL) {
      return; // reads are off in the other states; a key selected before that is ignored
    }
    int n;
    try {
      n = channel.read(scratch.clear());
    } catch (IOException e) {
      close("read failed: " + e);
      return;
    }
    if (state == State.WATCHING) {
      if (n < 0) {
        close("the agent ended its watch");
      }
      return; // the agent sends nothing after a watch request; whatever it sends is dropped
    }
    if (n < 0) {
      if (decoder.started()) {
        rejectMalformed("the connection ended inside the request frame");
      } else {
        close(state == State.PRIME_CHANNEL ? "the agent closed its prime channel" : "closed without a request");
      }
      return;
    }
    scratch.flip();
    do {
      byte[] body;
      try {
        body = decoder.feed(scratch);
      } catch (MalformedFrameException e) {
        rejectMalformed(e.getMessage());
        return;
      }
      if (body == null) {
        break;
      }
      decoder = new RequestFrameDecoder(loop.limits.maxRequestBytes());
      if (state == State.PRIME_CHANNEL) {
        onChannelRequest(body);
      } else {
        onRequest(body); // bytes after a one-exchange request, if any, are ignored
      }
    } while (state == State.PRIME_CHANNEL && scratch.hasRemaining());
    if (state == State.PRIME_CHANNEL) {
      // a request begun must be complete within the request deadline; between requests a channel may idle
      deadlineNanos = decoder.started()
          ? Math.min(deadlineNanos, System.nanoTime() + loop.limits.requestDeadline().toNanos()) : Long.MAX_VALUE;
    }
  }

  /** The channel can take more of the frame being written. */
  void onWritable() {
    if (state == State.PRIME_CHANNEL) {
      if (session.flush()) {
        interest(SelectionKey.OP_READ);
      }
      return;
    }
    flush();
  }

  /**
   * Whether a deadline of this connection may pass: a request being read or answered, or primes in flight on a
   * prime channel. An agent's idle watch or prime channel has none, so an endpoint with only those sleeps until
   * a socket or a task wakes it. Loop thread (primes are only added there).
   */
  boolean needsTick() {
    return deadlineNanos != Long.MAX_VALUE || state == State.PRIME_CHANNEL && session.inFlight() > 0;
  }

  /** Acts on a passed deadline; called by the loop's tick. */
  void tick(long nowNanos) {
    if (state == State.PRIME_CHANNEL) {
      session.expire(nowNanos, AgentPrimer.failed("the node did not finish the prime in time"));
    }
    if (nowNanos - deadlineNanos < 0) {
      return;
    }
    switch (state) {
      case READING_REQUEST -> {
        loop.expiredWarnings.warn("Closed an agent connection that sent no complete request in time. "
            + "connId={} deadlineMillis={}", id, loop.limits.requestDeadline().toMillis());
        close("no complete request in time");
      }
      case PRIMING -> reply(AgentPrimer.failed("the node did not finish the prime in time"));
      case REPLYING -> close("the agent did not take its reply in time");
      case PRIME_CHANNEL -> {
        loop.expiredWarnings.warn("Closed a prime channel that sent no complete request in time. "
            + "connId={} deadlineMillis={}", id, loop.limits.requestDeadline().toMillis());
        close("no complete request in time");
      }
      default -> { } // a watch has no deadline
    }
  }

  /** Closes the channel and forgets the membership listener. Idempotent. */
  void close(String reason) {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    if (session != null) {
      session.close();
    }
    if (listener != null) {
      loop.membership.removeListener(listener);
      listener = null;
    }
    registration.cancel();
    try {
      channel.close();
    } catch (IOException e) {
      log.debug("Closing an agent connection failed. connId={} reason={}", id, e.toString());
    }
    out = null;
    decoder = null;
    newestPeers.set(null);
    loop.forget(this);
    log.debug("Agent connection ended. connId={} reason={}", id, reason);
  }

  /** The request in {@code body}, or null when it is malformed (then rejected). */
  private AgentRequest parse(byte[] body) {
    try {
      return AgentRequest.parseFrom(body);
    } catch (InvalidProtocolBufferException e) {
      rejectMalformed(e.getMessage());
      return null;
    }
  }

  private void onRequest(byte[] body) {
    AgentRequest request = parse(body);
    if (request == null) {
      return;
    }
    switch (request.getRequestCase()) {
      case WATCH -> watch();
      case PRIME -> {
        if (request.getPrime().getRequestId() != 0) {
          openPrimeChannel();
          channelPrime(request.getPrime());
        } else {
          prime(request.getPrime());
        }
      }
      case STATUS -> reply(loop.status.get());
      default -> {
        loop.unknownWarnings.warn("Rejected unknown agent request. connId={} request={}",
            id, request.getRequestCase());
        reply(AgentPrimer.failed("unknown request " + request.getRequestCase()));
      }
    }
  }

  private void rejectMalformed(String reason) {
    loop.malformedWarnings.warn("Rejected malformed agent request. connId={} reason={}", id, reason);
    if (state == State.PRIME_CHANNEL) { // replies of other primes may be in flight: no reply without an id
      close("malformed request: " + reason);
      return;
    }
    reply(AgentPrimer.failed("malformed request: " + reason));
  }

  private void watch() {
    state = State.WATCHING;
    deadlineNanos = Long.MAX_VALUE; // the agent's long-lived subscription
    listener = this::offer;
    loop.membership.addListener(listener); // calls offer with the current members: the first view
  }

  /** Membership listener, on any thread under the membership's lock: keeps the newest, wakes the loop once. */
  private void offer(List<Peer> peers) {
    newestPeers.set(peers);
    if (viewTaskQueued.compareAndSet(false, true)) {
      loop.execute(this, this::sendNewestView);
    }
  }

  /** Loop task queued by {@link #offer}. */
  private void sendNewestView() {
    viewTaskQueued.set(false); // before flush takes the newest: a later offer queues another task
    if (state == State.WATCHING && out == null) {
      flush(); // with a frame in flight, flush sends the newest view when that frame is done
    }
  }

  private MembershipView view(List<Peer> peers) {
    Peer me = loop.self.get();
    MembershipView.Builder view = MembershipView.newBuilder()
        .setOwnIp(ByteString.copyFrom(me.externalIp().getAddress()));
    peers.stream()
        .filter(p -> p.id() != me.id())
        .forEach(p -> view.addMemberIps(ByteString.copyFrom(p.externalIp().getAddress())));
    // a connect to a member that left must fail at once rather than hang in front of its NAT
    loop.membership.departedIps().forEach(ip -> view.addDepartedIps(ByteString.copyFrom(ip.getAddress())));
    // a warm connect would skip the node: the agent asks the node for these, which fails the connect at once
    loop.membership.suspectedIps().forEach(ip -> view.addSuspectedIps(ByteString.copyFrom(ip.getAddress())));
    return view.build();
  }

  private void openPrimeChannel() {
    state = State.PRIME_CHANNEL;
    deadlineNanos = Long.MAX_VALUE; // the agent's long-lived channel; a request begun gets the request deadline
    session = new PrimeChannelSession(channel, this::wantWritable,
        reason -> loop.execute(this, () -> close(reason)));
    log.debug("Agent opened a prime channel. connId={}", id);
  }

  /** A later request on a prime channel: only primes with fresh request ids may come. */
  private void onChannelRequest(byte[] body) {
    AgentRequest request = parse(body);
    if (request == null) {
      return;
    }
    if (!request.hasPrime() || request.getPrime().getRequestId() == 0) {
      rejectMalformed("a prime channel carries primes with request ids only, got " + request.getRequestCase()
          + (request.hasPrime() ? " without an id" : ""));
      return;
    }
    channelPrime(request.getPrime());
  }

  /** Starts one prime of the channel; its reply is written by whichever thread completes it. */
  private void channelPrime(Prime prime) {
    long requestId = prime.getRequestId();
    long deadline = System.nanoTime()
        + TimeUnit.MILLISECONDS.toNanos(Integer.toUnsignedLong(prime.getTimeoutMs()) + PRIME_GRACE_MILLIS);
    if (!session.start(requestId, deadline)) {
      loop.malformedWarnings.warn("Closed a prime channel that broke its limits. connId={} requestId={} inFlight={}",
          id, requestId, session.inFlight());
      close("request id " + requestId + " reused, or more than " + PrimeChannelSession.MAX_IN_FLIGHT
          + " primes in flight");
      return;
    }
    CompletableFuture<PrimeReply> answer;
    try {
      answer = loop.primer.apply(prime).handle(AgentConnection::orFailed);
    } catch (RuntimeException e) { // the primer promises a future; do not let a bug end the loop
      loop.failureWarnings.warn("Agent prime failed unexpectedly. connId={} reason={}", id, e.toString());
      session.answer(requestId, AgentPrimer.failed("internal error: " + e));
      return;
    }
    // no hop to the loop: the reply goes out on the thread that completes the prime (the mesh link's)
    answer.thenAccept(reply -> session.answer(requestId, reply));
  }

  /** The session has replies the socket did not take: OP_WRITE, set on the loop thread. Any thread. */
  private void wantWritable() {
    if (writeTaskQueued.compareAndSet(false, true)) {
      loop.execute(this, () -> {
        writeTaskQueued.set(false);
        if (state == State.PRIME_CHANNEL) {
          interest(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
        }
      });
    }
  }

  private void prime(Prime prime) {
    state = State.PRIMING;
    // No reads while priming: the agent sends nothing more, and a client that closes early keeps its slot
    // until the prime ends, so at most maxConnections primes are ever in flight through this endpoint.
    interest(0);
    deadlineNanos = System.nanoTime()
        + TimeUnit.MILLISECONDS.toNanos(Integer.toUnsignedLong(prime.getTimeoutMs()) + PRIME_GRACE_MILLIS);
    CompletableFuture<PrimeReply> answer;
    try {
      answer = loop.primer.apply(prime).handle(AgentConnection::orFailed);
    } catch (RuntimeException e) { // the primer promises a future; do not let a bug end the loop
      loop.failureWarnings.warn("Agent prime failed unexpectedly. connId={} reason={}", id, e.toString());
      reply(AgentPrimer.failed("internal error: " + e));
      return;
    }
    if (answer.isDone()) {
      reply(answer.join()); // most refusals are answered at once: no round trip through the queue
    } else {
      answer.thenAccept(r -> loop.execute(this, () -> reply(r)));
    }
  }

  /** The primer's answer; a FAILED one should the primer break its promise to always answer. */
  private static PrimeReply orFailed(PrimeReply reply, Throwable failure) {
    if (reply != null) {
      return reply;
    }
    return AgentPrimer.failed("internal error: " + (failure != null ? failure : "the prime ended without a reply"));
  }

  /** Sends one reply and closes once it is written; a second reply (a late prime) is dropped. */
  private void reply(MessageLite reply) {
    if (state == State.CLOSED || state == State.REPLYING) {
      return;
    }
    state = State.REPLYING;
    deadlineNanos = System.nanoTime() + loop.limits.requestDeadline().toNanos();
    interest(0);
    out = frame(reply);
    flush();
  }

  /**
   * Writes what the channel takes now and waits for OP_WRITE for the rest. A reply, once written, closes the
   * connection; a watch goes on with the newest view, if one came meanwhile, else waits for reads (the agent's
   * end of stream).
   */
  private void flush() {
    while (true) {
      if (out == null) {
        if (state != State.WATCHING) {
          return;
        }
        List<Peer> peers = newestPeers.getAndSet(null);
        if (peers == null) {
          interest(SelectionKey.OP_READ);
          return;
        }
        out = frame(view(peers));
      }
      try {
        while (out.hasRemaining()) {
          if (channel.write(out) == 0) {
            interest(SelectionKey.OP_WRITE);
            return;
          }
        }
      } catch (IOException e) {
        close("write failed: " + e);
        return;
      }
      out = null;
      if (state == State.REPLYING) {
        close("answered");
        return;
      }
    }
  }

  /** Asks the event loop for these {@link SelectionKey} events of the socket; on the loop thread. */
  private void interest(int ops) {
    registration.submit(NioIoOps.valueOf(ops));
  }

  /** {@code message} with its varint length prefix (the framing of {@code writeDelimitedTo}). */
  static ByteBuffer frame(MessageLite message) {
    int size = message.getSerializedSize();
    byte[] bytes = new byte[CodedOutputStream.computeUInt32SizeNoTag(size) + size];
    CodedOutputStream coded = CodedOutputStream.newInstance(bytes);
    try {
      coded.writeUInt32NoTag(size);
      message.writeTo(coded);
      coded.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException("encoding into an array of the computed size failed", e);
    }
    return ByteBuffer.wrap(bytes);
  }
}
