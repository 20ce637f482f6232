package io.boxer.node.membership;

import io.boxer.node.Endpoints;
import io.boxer.node.JoinException;
import io.boxer.node.NodeConfig;
import io.boxer.proto.seed.v1.JoinRequest;
import io.boxer.proto.seed.v1.ReportPrimedRequest;
import io.boxer.proto.seed.v1.RequestPrimeRequest;
import io.boxer.proto.seed.v1.SeedEvent;
import io.boxer.proto.seed.v1.SeedGrpc;
import io.boxer.proto.seed.v1.Welcome;
import io.grpc.Channel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's session with the seed: the Join stream (welcome, then membership and priming events) and
 * the ReportPrimed call. Does not own the channel. Events are delivered on gRPC threads, in stream order.
 */
public final class SeedConnection {
  /** Receives the seed's events after the welcome. Implementations must not block. */
  public interface Listener {
    void onJoined(Peer peer);

    void onLeft(long id);

    void onPeerPrimed(long peerId);

    void onPrimeRequested(long peerId);

    /** The Join stream ended: the seed is gone or dropped us. The mesh keeps working without it. */
    void onSeedLost(Throwable cause);
  }

  private static final Logger log = LoggerFactory.getLogger(SeedConnection.class);
  private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(5);
  private static final Set<Status.Code> RETRYABLE =
      Set.of(Status.Code.UNAVAILABLE, Status.Code.DEADLINE_EXCEEDED);

  private final Channel channel;
  private volatile ClientCallStreamObserver<JoinRequest> call;

  public SeedConnection(Channel channel) {
    this.channel = channel;
  }

  /**
   * Joins, retrying unreachable seeds with exponential backoff.
   *
   * @throws JoinException when the seed refuses this node or stays unreachable for every attempt
   */
  public Welcome join(int controlPort, int attempts, Duration firstDelay, Listener listener)
      throws JoinException, InterruptedException {
    Duration delay = firstDelay;
    Throwable last = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try {
        return attempt(controlPort, listener);
      } catch (StatusRuntimeException e) {
        last = e;
        if (!RETRYABLE.contains(e.getStatus().getCode())) {
          throw new JoinException("the seed refused this node: " + e.getStatus().getDescription(), true, e);
        }
      } catch (TimeoutException e) {
        last = e;
        if (call != null) {
          call.cancel("join attempt timed out", null);
        }
      }
      if (attempt < attempts) {
        log.info("Seed not reachable, retrying. attempt={} of={} delayMs={} reason={}",
            attempt, attempts, delay.toMillis(), describe(last));
        Thread.sleep(delay.toMillis());
        delay = delay.multipliedBy(2).compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay.multipliedBy(2);
      }
    }
    throw new JoinException("cannot reach the seed after " + attempts + " attempts: " + describe(last), false, last);
  }

  private Welcome attempt(int controlPort, Listener listener) throws TimeoutException, InterruptedException {
    CompletableFuture<Welcome> welcome = new CompletableFuture<>();
    JoinRequest request = JoinRequest.newBuilder()
        .setProtocolVersion(NodeConfig.PROTOCOL_VERSION)
        .setControlPort(controlPort)
        .build();
    SeedGrpc.newStub(channel).join(request, new ClientResponseObserver<JoinRequest, SeedEvent>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<JoinRequest> requestStream) {
        call = requestStream;
      }

      @Override
      public void onNext(SeedEvent event) {
        try {
          dispatch(event, welcome, listener);
        } catch (IllegalArgumentException e) {
          log.warn("Ignored malformed seed event. event={} reason={}", event.getEventCase(), e.getMessage());
        }
      }

      @Override
      public void onError(Throwable t) {
        if (!welcome.completeExceptionally(t)) {
          listener.onSeedLost(t);
        }
      }

      @Override
      public void onCompleted() {
        IllegalStateException ended = new IllegalStateException("the seed ended the join stream");
        if (!welcome.completeExceptionally(ended)) {
          listener.onSeedLost(ended);
        }
      }
    });
    try {
      return welcome.get(ATTEMPT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusRuntimeException) {
        throw (StatusRuntimeException) e.getCause();
      }
      throw Status.UNAVAILABLE.withCause(e.getCause()).withDescription(describe(e.getCause())).asRuntimeException();
    }
  }

  private static void dispatch(SeedEvent event, CompletableFuture<Welcome> welcome, Listener listener) {
    switch (event.getEventCase()) {
      case WELCOME -> {
        Welcome w = event.getWelcome();
        Endpoints.fromProto(w.getObserved()); // validate before anyone relies on it
        w.getMembersList().forEach(m -> Endpoints.fromProto(m.getControl()));
        welcome.complete(w);
      }
      case JOINED -> listener.onJoined(
          new Peer(event.getJoined().getMember().getId(), Endpoints.fromProto(event.getJoined().getMember().getControl())));
      case LEFT -> listener.onLeft(event.getLeft().getId());
      case PRIMED -> listener.onPeerPrimed(event.getPrimed().getPeerId());
      case PRIME_REQUESTED -> listener.onPrimeRequested(event.getPrimeRequested().getPeerId());
      default -> throw new IllegalArgumentException("unknown event " + event.getEventCase());
    }
  }

  /** Tells the seed we primed toward {@code peerId}; failures are logged (the peer's dial then times out). */
  public void reportPrimed(long selfId, long peerId) {
    SeedGrpc.newStub(channel)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .reportPrimed(ReportPrimedRequest.newBuilder().setNodeId(selfId).setPeerId(peerId).build(),
            logFailure("report priming to", peerId));
  }

  /** Asks older member {@code peerId}, through the seed, to prime toward us again; failures are logged. */
  public void requestPrime(long selfId, long peerId) {
    SeedGrpc.newStub(channel)
        .withDeadlineAfter(5, TimeUnit.SECONDS)
        .requestPrime(RequestPrimeRequest.newBuilder().setNodeId(selfId).setPeerId(peerId).build(),
            logFailure("request priming from", peerId));
  }

  private static <T> StreamObserver<T> logFailure(String what, long peerId) {
    return new StreamObserver<>() {
      @Override
      public void onNext(T value) {}

      @Override
      public void onError(Throwable t) {
        log.warn("Could not {} a member through the seed. peerId={} reason={}", what, peerId, describe(t));
      }

      @Override
      public void onCompleted() {}
    };
  }

  /** Leaves the cluster: cancelling the Join stream tells the seed. */
  public void leave() {
    ClientCallStreamObserver<JoinRequest> c = call;
    if (c != null) {
      c.cancel("node leaving", null);
    }
  }

  private static String describe(Throwable t) {
    if (t instanceof StatusRuntimeException s) {
      Throwable cause = s.getCause();
      return s.getStatus().getCode() + (s.getStatus().getDescription() != null ? ": " + s.getStatus().getDescription() : "")
          + (cause != null ? " (" + cause.getMessage() + ")" : "");
    }
    return String.valueOf(t);
  }
}
