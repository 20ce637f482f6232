package io.boxer.node.membership;

import io.boxer.control.GrpcLifecycle;
import io.boxer.control.Liveness;
import io.boxer.control.OutboundStream;
import io.boxer.node.JoinException;
import io.boxer.proto.seed.v1.NodeMessage;
import io.boxer.proto.seed.v1.RenewCertificate;
import io.boxer.proto.seed.v1.SeedEvent;
import io.boxer.proto.seed.v1.SeedGrpc;
import io.boxer.proto.seed.v1.Welcome;
import io.boxer.proto.v1.Heartbeat;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's session with the seed: one Join stream at a time (welcome, then membership, priming,
 * certificate and probe events; heartbeats both ways). When the stream ends while the node runs (the seed
 * restarted, the network broke, the seed removed this node), the session rejoins with the node's id and
 * certificate, with backoff, for as long as the node runs; the mesh keeps working meanwhile. Each rejoin
 * opens a fresh channel: the certificate is presented in a TLS handshake, and a connection that outlived the
 * stream (the seed removed this node) had none. Owns the channels it makes. Thread-safe; {@link #tick(long)}
 * runs on the node's events thread, events arrive on gRPC threads in stream order.
 */
public final class SeedSession implements AutoCloseable {
  /** Receives what the seed says. Implementations must not block. */
  public interface Listener {
    /** A rejoin's welcome (the first join's is returned by {@link #join}). */
    void onWelcome(Welcome welcome);

    /** Any event after a welcome. */
    void onEvent(SeedEvent event);

    /** The stream ended; the session is reconnecting. */
    void onSessionLost(String reason);

    /** The seed refused a rejoin for good (wrong token, address taken, certificate expired): the node must stop. */
    void onFatal(String reason);
  }

  private static final Logger log = LoggerFactory.getLogger(SeedSession.class);
  /** One join attempt: generous, since a host starting many JVMs at once can be slow to finish a handshake. */
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(20);
  /** Rejoins after a lost session: from 250 ms, up to 2 s apart. */
  private static final Duration FIRST_REJOIN_DELAY = Duration.ofMillis(250);
  private static final Duration MAX_REJOIN_DELAY = Duration.ofSeconds(2);
  /** The first join's retries, from the caller's first delay: up to 5 s apart. */
  private static final Duration MAX_JOIN_DELAY = Duration.ofSeconds(5);
  private static final int MAX_QUEUED_MESSAGES = 1024;
  /** Between dropping a removed session and rejoining: time for its socket to go. */
  private static final Duration REJOIN_PAUSE = Duration.ofMillis(100);
  private static final Set<Status.Code> FINAL =
      Set.of(Status.Code.UNAUTHENTICATED, Status.Code.ALREADY_EXISTS, Status.Code.INVALID_ARGUMENT,
          Status.Code.FAILED_PRECONDITION, Status.Code.PERMISSION_DENIED);
  private static final NodeMessage HEARTBEAT = NodeMessage.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build();

  private final Supplier<ManagedChannel> channels;
  // @GuardedBy("this")
  private ManagedChannel channel;
  private final JoinCredentials credentials;
  private final Listener listener;
  // @GuardedBy("this")
  private Stream current;
  // @GuardedBy("this")
  private long memberId;
  // @GuardedBy("this")
  private boolean closed;
  // @GuardedBy("this"): when the next rejoin attempt may start (System.nanoTime()), and the backoff after it
  private long rejoinAt;
  private final Backoff rejoinBackoff = new Backoff(FIRST_REJOIN_DELAY, MAX_REJOIN_DELAY);
  // @GuardedBy("this"): when to ask for a new certificate
  private long renewAt;

  /** @param channels makes a channel to the seed, from the control port (called once per join attempt) */
  public SeedSession(Supplier<ManagedChannel> channels, JoinCredentials credentials, Listener listener) {
    this.channels = channels;
    this.credentials = credentials;
    this.listener = listener;
  }

  /**
   * A fresh channel for a join attempt. Both use the control port, and the same 4-tuple cannot be connected
   * twice, so a channel is closed as soon as its stream ends (SO_LINGER 0 spares the wait for TIME_WAIT).
   */
  private synchronized ManagedChannel freshChannel() {
    if (channel != null) {
      channel.shutdownNow(); // normally done when its stream ended; a dial that races it fails and is retried
    }
    channel = channels.get();
    return channel;
  }

  /**
   * Joins for the first time, retrying an unreachable seed with exponential backoff.
   *
   * @throws JoinException when the seed refuses this node (or is not this cluster's seed) or stays
   *     unreachable for every attempt
   */
  public Welcome join(int attempts, Duration firstDelay) throws JoinException, InterruptedException {
    Backoff backoff = new Backoff(firstDelay, MAX_JOIN_DELAY);
    Throwable last = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      Stream stream = new Stream(attempt == 1 ? channel() : freshChannel());
      try {
        Welcome welcome = stream.open(0).get(ATTEMPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        synchronized (this) {
          current = stream;
          memberId = welcome.getNodeId();
          scheduleRenewal();
        }
        return welcome;
      } catch (ExecutionException e) {
        last = e.getCause();
        String refusal = refusal(last);
        if (refusal != null) {
          throw new JoinException(refusal, true, last);
        }
      } catch (TimeoutException e) {
        last = e;
        stream.cancel("join attempt timed out");
      }
      if (attempt < attempts) {
        Duration delay = backoff.next();
        log.info("Seed not reachable, retrying. attempt={} of={} delayMs={} reason={}",
            attempt, attempts, delay.toMillis(), describe(last));
        Thread.sleep(delay.toMillis());
      }
    }
    throw new JoinException("cannot reach the seed after " + attempts + " attempts: " + describe(last), false, last);
  }

  /**
   * Why the seed refused for good, or null if retrying may help. A TLS failure means the server is not this
   * cluster's seed under our token (or not a Boxer seed at all): retrying cannot help either.
   */
  static String refusal(Throwable t) {
    if (t instanceof StatusRuntimeException s && FINAL.contains(s.getStatus().getCode())) {
      if (s.getStatus().getCode() == Status.Code.UNAUTHENTICATED) {
        return "the seed refused this node: " + s.getStatus().getDescription()
            + " (check --token / BOXER_TOKEN: it must be the seed's token)";
      }
      return "the seed refused this node: " + s.getStatus().getDescription();
    }
    // a certificate our trust manager rejected (not a handshake that timed out: that may pass on a retry)
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof CertificateException) {
        return "the seed's TLS certificate does not verify under this cluster's CA: the join token differs from"
            + " the seed's (check --token / BOXER_TOKEN), or the address is not a Boxer seed (" + c.getMessage() + ")";
      }
    }
    return null;
  }

  /** Sends a message on the current stream; dropped while the session is reconnecting. */
  public void send(NodeMessage message) {
    Stream stream;
    synchronized (this) {
      stream = current;
    }
    if (stream != null) {
      stream.send(message);
    }
  }

  /** Whether a stream to the seed is up (joined, heard from recently). */
  public synchronized boolean isUp() {
    return current != null && current.welcomed;
  }

  /** The seed removed this node: drop the stream and rejoin at once. */
  public void rejoinNow(String reason) {
    Stream stream;
    synchronized (this) {
      stream = current;
      current = null;
      rejoinAt = System.nanoTime() + REJOIN_PAUSE.toNanos();
      if (channel != null) {
        channel.shutdownNow();
      }
    }
    if (stream != null) {
      stream.cancel(reason);
    }
  }

  /** Sends a heartbeat on the current stream, if there is one. Any thread (the node's heartbeat timer). */
  public void heartbeat() {
    send(HEARTBEAT);
  }

  /**
   * Silence check, rejoin when due, certificate renewal. Runs on the node's events thread every
   * {@link Liveness#HEARTBEAT_INTERVAL}.
   */
  public void tick(long now) {
    Stream stream;
    boolean renew;
    synchronized (this) {
      if (closed) {
        return;
      }
      stream = current;
      if (stream == null) {
        if (now - rejoinAt >= 0) {
          startRejoin(now);
        }
        return;
      }
      renew = stream.welcomed && now - renewAt >= 0;
      if (renew) {
        renewAt = now + TimeUnit.SECONDS.toNanos(10); // until the certificate arrives
      }
    }
    if (stream.welcomed && now - stream.lastHeard > Liveness.SEED_LOST_AFTER.toNanos()) {
      stream.cancel("no heartbeat from the seed for " + Liveness.SEED_LOST_AFTER.toMillis() + " ms");
      return;
    }
    if (renew) {
      stream.send(NodeMessage.newBuilder().setRenew(RenewCertificate.getDefaultInstance()).build());
    }
  }

  // @GuardedBy("this")
  private void startRejoin(long now) {
    if (credentials.identity().validCertificate().isEmpty()) {
      closed = true;
      listener.onFatal("cannot rejoin: this node's certificate expired while the seed was unreachable");
      return;
    }
    Stream stream = new Stream(freshChannel());
    current = stream;
    rejoinAt = now + rejoinBackoff.next().toNanos();
    long id = memberId;
    stream.open(id).whenComplete((welcome, error) -> {
      if (error == null) {
        synchronized (this) {
          rejoinBackoff.reset();
          scheduleRenewal();
        }
        log.info("Rejoined through the seed. peerId={}", id);
        listener.onWelcome(welcome);
      } else {
        String refusal = refusal(error);
        if (refusal != null) {
          synchronized (this) {
            closed = true;
          }
          listener.onFatal("cannot rejoin: " + refusal);
        }
      }
    });
  }

  /** Renew at half the certificate's lifetime. */
  // @GuardedBy("this")
  private void scheduleRenewal() {
    credentials.identity().certificate().ifPresent(c -> {
      long lifetime = c.getNotAfter().getTime() - c.getNotBefore().getTime();
      long due = c.getNotBefore().getTime() + lifetime / 2 - System.currentTimeMillis();
      renewAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(Math.max(0, due));
    });
  }

  /** A renewed certificate arrived: renew again at its half-life. */
  public synchronized void certificateRenewed(X509Certificate certificate) {
    scheduleRenewal();
  }

  private void ended(Stream stream, Throwable cause) {
    boolean wasCurrent;
    synchronized (this) {
      wasCurrent = current == stream;
      if (wasCurrent) {
        current = null;
      }
      if (closed) {
        return;
      }
      if (stream.channel == channel) {
        // free the control port's 4-tuple for the rejoin now, not when it starts
        channel.shutdownNow();
      }
    }
    if (wasCurrent && stream.welcomed) {
      listener.onSessionLost(describe(cause));
    }
  }

  /** Leaves the cluster: half-closes the stream (the seed tells the others at once), then closes the channel. */
  @Override
  public void close() throws InterruptedException {
    Stream stream;
    ManagedChannel last;
    synchronized (this) {
      closed = true;
      stream = current;
      current = null;
      last = channel;
    }
    if (stream != null) {
      stream.leave();
    }
    GrpcLifecycle.shutdown(last);
  }

  private synchronized ManagedChannel channel() {
    return channel == null ? freshChannel() : channel;
  }

  /** One Join stream. */
  private final class Stream implements ClientResponseObserver<NodeMessage, SeedEvent> {
    private final ManagedChannel channel;
    private final CompletableFuture<Welcome> welcome = new CompletableFuture<>();
    private volatile OutboundStream<NodeMessage> out;
    private volatile ClientCallStreamObserver<NodeMessage> call;
    private volatile boolean welcomed;
    private volatile long lastHeard = System.nanoTime();

    Stream(ManagedChannel channel) {
      this.channel = channel;
    }

    CompletableFuture<Welcome> open(long rejoinId) {
      SeedGrpc.newStub(channel).join(this);
      out.send(NodeMessage.newBuilder().setJoin(credentials.request(rejoinId)).build());
      return welcome;
    }

    @Override
    public void beforeStart(ClientCallStreamObserver<NodeMessage> requests) {
      call = requests;
      out = new OutboundStream<>(requests, MAX_QUEUED_MESSAGES, status -> cancel("the seed does not read"));
    }

    void send(NodeMessage message) {
      out.send(message);
    }

    void cancel(String reason) {
      call.cancel(reason, null);
    }

    void leave() {
      out.complete();
    }

    @Override
    public void onNext(SeedEvent event) {
      lastHeard = System.nanoTime();
      if (!welcomed) {
        if (event.hasWelcome()) {
          welcomed = true;
          welcome.complete(event.getWelcome());
        } else {
          welcome.completeExceptionally(Status.INTERNAL.withDescription("the seed's first event was "
              + event.getEventCase() + " (expected: welcome)").asRuntimeException());
          cancel("no welcome");
        }
        return;
      }
      if (!event.hasHeartbeat()) { // a heartbeat's whole meaning is lastHeard, above
        listener.onEvent(event);
      }
    }

    @Override
    public void onError(Throwable t) {
      welcome.completeExceptionally(t);
      ended(this, t);
    }

    @Override
    public void onCompleted() {
      IllegalStateException ended = new IllegalStateException("the seed ended the session");
      welcome.completeExceptionally(ended);
      ended(this, ended);
    }
  }

  static String describe(Throwable t) {
    if (t instanceof StatusRuntimeException s) {
      Throwable cause = s.getCause();
      return s.getStatus().getCode() + (s.getStatus().getDescription() != null ? ": " + s.getStatus().getDescription() : "")
          + (cause != null ? " (" + cause.getMessage() + ")" : "");
    }
    return String.valueOf(t);
  }
}
