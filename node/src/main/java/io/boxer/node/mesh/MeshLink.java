package io.boxer.node.mesh;

import io.boxer.node.Endpoints;
import io.boxer.node.membership.Peer;
import io.boxer.node.priming.PrimeHandler;
import io.boxer.proto.mesh.v1.MeshFrame;
import io.boxer.proto.mesh.v1.PrimeRequest;
import io.boxer.proto.mesh.v1.PrimeResponse;
import io.grpc.stub.StreamObserver;
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
 * One established control link with a peer: a bidirectional gRPC stream over a direct TCP connection. Both
 * ends are symmetric: either sends prime requests and answers the other's. Thread-safe: sends are
 * serialized on {@code outbound}; responses complete futures on the gRPC thread that read them.
 */
public final class MeshLink {
  private static final Logger log = LoggerFactory.getLogger(MeshLink.class);

  private final Peer peer;
  private final long peerId;
  private final StreamObserver<MeshFrame> outbound;
  private final PrimeHandler primeHandler;
  private final AtomicLong nextCorrelationId = new AtomicLong(1);
  private final Map<Long, CompletableFuture<PrimeResponse>> pending = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final AtomicBoolean outboundCompleted = new AtomicBoolean();

  MeshLink(Peer peer, StreamObserver<MeshFrame> outbound, PrimeHandler primeHandler) {
    this.peer = peer;
    this.peerId = peer.id();
    this.outbound = outbound;
    this.primeHandler = primeHandler;
  }

  public long peerId() {
    return peerId;
  }

  /**
   * Asks the peer to prime its NAT so that {@code clientExternal} can connect to its {@code listenPort}.
   * The future completes with the peer's answer, or with a FAILED response after {@code timeout} or when
   * the link closes; it never completes exceptionally.
   */
  public CompletableFuture<PrimeResponse> prime(int listenPort, InetSocketAddress clientExternal, Duration timeout) {
    long id = nextCorrelationId.getAndIncrement();
    CompletableFuture<PrimeResponse> answer = new CompletableFuture<>();
    pending.put(id, answer);
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
    return answer.completeOnTimeout(
        PrimeHandler.failed("member " + peerId + " did not answer within " + timeout.toMillis() + " ms"),
        timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Handles a frame read from the peer (after the hello exchange). */
  void onFrame(MeshFrame frame) {
    switch (frame.getBodyCase()) {
      case PRIME_REQUEST -> send(MeshFrame.newBuilder()
          .setCorrelationId(frame.getCorrelationId())
          .setPrimeResponse(primeHandler.handle(peer, frame.getPrimeRequest()))
          .build());
      case PRIME_RESPONSE -> {
        CompletableFuture<PrimeResponse> answer = pending.get(frame.getCorrelationId());
        if (answer == null) {
          log.debug("Dropped late prime response. peerId={} correlationId={}", peerId, frame.getCorrelationId());
        } else {
          answer.complete(frame.getPrimeResponse());
        }
      }
      default -> {
        log.warn("Rejected unexpected mesh frame. peerId={} body={}", peerId, frame.getBodyCase());
        send(MeshFrame.newBuilder()
            .setCorrelationId(frame.getCorrelationId())
            .setPrimeResponse(PrimeHandler.failed("unexpected frame " + frame.getBodyCase()))
            .build());
      }
    }
  }

  /** Marks the link closed (peer gone or stream failed) and fails every outstanding request. */
  void onClosed() {
    if (closed.compareAndSet(false, true)) {
      pending.values().forEach(f -> f.complete(PrimeHandler.failed("control link to member " + peerId + " closed")));
    }
  }

  /** Closes our side of the stream. Idempotent. */
  void close() {
    onClosed();
    completeOutbound();
  }

  /** Ends our side of the stream, once, whichever side started closing. */
  void completeOutbound() {
    if (outboundCompleted.compareAndSet(false, true)) {
      synchronized (outbound) {
        try {
          outbound.onCompleted();
        } catch (RuntimeException e) {
          log.debug("Closing link failed. peerId={} reason={}", peerId, e.toString());
        }
      }
    }
  }

  public boolean isOpen() {
    return !closed.get();
  }

  private void send(MeshFrame frame) {
    synchronized (outbound) {
      try {
        outbound.onNext(frame);
      } catch (RuntimeException e) {
        log.debug("Send on closed link failed. peerId={} reason={}", peerId, e.toString());
        onClosed();
      }
    }
  }

}
