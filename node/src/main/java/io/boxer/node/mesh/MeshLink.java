package io.boxer.node.mesh;

import io.boxer.control.Endpoints;
import io.boxer.control.OutboundStream;
import io.boxer.control.RateLimitedLog;
import io.boxer.node.membership.Peer;
import io.boxer.node.priming.PrimeHandler;
import io.boxer.proto.mesh.v1.Goodbye;
import io.boxer.proto.mesh.v1.MeshFrame;
import io.boxer.proto.v1.LinkPath;
import io.boxer.proto.mesh.v1.PrimeRequest;
import io.boxer.proto.mesh.v1.PrimeResponse;
import io.boxer.proto.mesh.v1.ProbeRequest;
import io.boxer.proto.mesh.v1.ProbeResponse;
import io.grpc.Status;
import io.grpc.stub.CallStreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One established control link with a peer: a bidirectional gRPC stream over a direct, mutually
 * authenticated TLS connection. Both ends are symmetric: either sends prime requests, indirect probes and
 * heartbeats, and answers the other's. All sends go through one {@link OutboundStream} (serialized, flow
 * controlled, bounded: a peer that does not read loses the link). Responses complete futures on the transport
 * thread that read them. Thread-safe.
 */
public final class MeshLink {
  private static final Logger log = LoggerFactory.getLogger(MeshLink.class);
  private static final RateLimitedLog unexpected = new RateLimitedLog(log, 10, 10, TimeUnit.SECONDS);
  /** Frames that may wait for a peer that does not read (answers and heartbeats are tiny). */
  static final int MAX_QUEUED_FRAMES = 1024;

  private final Peer peer;
  private final long peerId;
  private final OutboundStream<MeshFrame> outbound;
  private final LinkHandler handler;
  private final LinkPath path;
  private final AtomicLong nextCorrelationId = new AtomicLong(1);
  private final Map<Long, PendingPrime> pending = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile long lastHeardNanos = System.nanoTime();
  private volatile boolean primedConnectsWork;
  private final LinkRtt rtt = new LinkRtt(lastHeardNanos);

  /** A prime request waiting for the peer's answer until {@code deadline} ({@link System#nanoTime()}). */
  private record PendingPrime(CompletableFuture<PrimeResponse> answer, long deadline, long timeoutMillis) {}

  /** Wraps a stream whose hello exchange is done. Create the stream's sender through {@link #sender}. */
  MeshLink(Peer peer, OutboundStream<MeshFrame> outbound, LinkHandler handler) {
    this(peer, outbound, handler, LinkPath.DIRECT);
  }

  /** @param path how the link's connection is carried: direct, or through the seed's relay */
  MeshLink(Peer peer, OutboundStream<MeshFrame> outbound, LinkHandler handler, LinkPath path) {
    this.path = path;
    this.primedConnectsWork = path == LinkPath.DIRECT;
    this.peer = peer;
    this.peerId = peer.id();
    this.outbound = outbound;
    this.handler = handler;
  }

  /** The one sender of a link's stream; must be created where the stream starts (flow-control handler). */
  static OutboundStream<MeshFrame> sender(CallStreamObserver<MeshFrame> stream, Runnable onOverflow) {
    return new OutboundStream<>(stream, MAX_QUEUED_FRAMES, status -> onOverflow.run());
  }

  /** How this link's connection is carried. */
  public LinkPath path() {
    return path;
  }

  /**
   * Whether a connect from this host to a port the peer primed gets through: always over a direct link (its dial
   * was one), else once {@link PrimedPathCheck} has seen one. Without it, application connects to the peer are
   * relayed.
   */
  public boolean primedConnectsWork() {
    return primedConnectsWork;
  }

  /** A primed connect to the peer got through (see {@link #primedConnectsWork}). */
  void primedConnectWorked() {
    primedConnectsWork = true;
  }

  public long peerId() {
    return peerId;
  }

  public Peer peer() {
    return peer;
  }

  /** When a frame from the peer last arrived ({@link System#nanoTime()}). */
  public long lastHeardNanos() {
    return lastHeardNanos;
  }

  /**
   * Asks the peer to prime its NAT so that {@code clientExternal} can connect to its {@code listenPort}.
   * The future completes with the peer's answer, or with a FAILED response when the link closes, when the peer is
   * suspected, or once {@link #expirePrimes} finds it unanswered after {@code timeout}; it never completes
   * exceptionally.
   */
  public CompletableFuture<PrimeResponse> prime(int listenPort, InetSocketAddress clientExternal, Duration timeout) {
    long id = nextCorrelationId.getAndIncrement();
    CompletableFuture<PrimeResponse> answer = new CompletableFuture<>();
    // no timer per prime: a timer wakes a thread of its own for every prime (docs/prime-path.md)
    pending.put(id, new PendingPrime(answer, System.nanoTime() + timeout.toNanos(), timeout.toMillis()));
    answer.whenComplete((r, e) -> pending.remove(id));
    if (closed.get()) {
      answer.complete(PrimeHandler.failed("control link to member " + peerId + " is closed"));
      return answer;
    }
    send(MeshFrame.newBuilder()
        .setCorrelationId(id)
        .setPrimeRequest(PrimeRequest.newBuilder()
            .setListenPort(listenPort)
            .setClient(Endpoints.toProto(clientExternal)))
        .build());
    return answer;
  }

  /**
   * Fails every prime whose timeout has passed at {@code now} ({@link System#nanoTime()}) with "did not answer".
   * The node's timer calls it for every link on each tick, so an unanswered prime fails at most a tick (0.5 s)
   * after its timeout.
   */
  public void expirePrimes(long now) {
    pending.values().forEach(p -> {
      if (now - p.deadline() >= 0) {
        p.answer().complete(PrimeHandler.failed(
            "member " + peerId + " did not answer within " + p.timeoutMillis() + " ms"));
      }
    });
  }

  /** Asks the peer when it last heard from member {@code targetId}; the answer goes to the handler. */
  public void probe(long targetId) {
    send(MeshFrame.newBuilder().setProbeRequest(ProbeRequest.newBuilder().setTargetId(targetId)).build());
  }

  /** Sends a heartbeat (the node's heartbeat tick calls this for every link); it also measures the RTT. */
  public void heartbeat() {
    send(MeshFrame.newBuilder().setHeartbeat(rtt.outgoing(System.nanoTime())).build());
  }

  /** The last round-trip time measured on this link, in microseconds; 0 before the first. */
  public long rttMicros() {
    return rtt.lastMicros();
  }

  /** The smoothed round-trip time (RFC 6298 SRTT), in microseconds; 0 before the first sample. */
  public long smoothedRttMicros() {
    return rtt.smoothedMicros();
  }

  /** Fails every prime waiting for this peer's answer, e.g. because the peer is suspected. */
  public void failPending(String detail) {
    pending.values().forEach(p -> p.answer().complete(PrimeHandler.failed(detail)));
  }

  /** Handles a frame read from the peer (after the hello exchange); frames after the link closed are ignored. */
  void onFrame(MeshFrame frame) {
    if (closed.get()) {
      return; // cut off (e.g. for not reading): nothing it still sends is acted on
    }
    long now = System.nanoTime();
    lastHeardNanos = now;
    switch (frame.getBodyCase()) {
      case HEARTBEAT -> rtt.incoming(frame.getHeartbeat(), now); // and lastHeardNanos, above
      case PRIME_REQUEST -> send(MeshFrame.newBuilder()
          .setCorrelationId(frame.getCorrelationId())
          .setPrimeResponse(handler.prime(peer, frame.getPrimeRequest()))
          .build());
      case PRIME_RESPONSE -> {
        PendingPrime waiting = pending.get(frame.getCorrelationId());
        if (waiting == null) {
          log.debug("Dropped late prime response. peerId={} correlationId={}", peerId, frame.getCorrelationId());
        } else {
          waiting.answer().complete(frame.getPrimeResponse());
        }
      }
      case PROBE_REQUEST -> {
        long target = frame.getProbeRequest().getTargetId();
        send(MeshFrame.newBuilder()
            .setCorrelationId(frame.getCorrelationId())
            .setProbeResponse(ProbeResponse.newBuilder()
                .setTargetId(target)
                .setSilentMs((int) Math.min(0xFFFF_FFFFL, handler.silentMillis(target))))
            .build());
      }
      case PROBE_RESPONSE -> handler.onProbeResponse(frame.getProbeResponse().getTargetId(),
          Integer.toUnsignedLong(frame.getProbeResponse().getSilentMs()));
      case GOODBYE -> handler.onGoodbye(peer, frame.getGoodbye().getReason());
      default -> {
        unexpected.warn("Rejected unexpected mesh frame. peerId={} body={}", peerId, frame.getBodyCase());
        send(MeshFrame.newBuilder()
            .setCorrelationId(frame.getCorrelationId())
            .setPrimeResponse(PrimeHandler.failed("unexpected frame " + frame.getBodyCase()))
            .build());
      }
    }
  }

  /** Marks the link closed (peer gone or stream failed), fails every outstanding request, tells the handler. */
  void onClosed() {
    if (closed.compareAndSet(false, true)) {
      failPending("control link to member " + peerId + " closed");
      handler.onLinkClosed(this);
    }
  }

  /** Says goodbye with {@code reason}, then closes our side of the stream. Idempotent. */
  void close(Goodbye.Reason reason) {
    if (reason != null && !closed.get()) {
      send(MeshFrame.newBuilder().setGoodbye(Goodbye.newBuilder().setReason(reason)).build());
    }
    onClosed();
    outbound.complete();
  }

  /** The peer broke the protocol or flooded us: end the stream with {@code status}. */
  void abort(Status status) {
    onClosed();
    outbound.fail(status);
  }

  public boolean isOpen() {
    return !closed.get() && !outbound.ended();
  }

  private void send(MeshFrame frame) {
    if (!outbound.send(frame)) {
      onClosed();
    }
  }

  @Override
  public String toString() {
    return "MeshLink[" + peerId + (isOpen() ? "" : ", closed") + "]";
  }
}
