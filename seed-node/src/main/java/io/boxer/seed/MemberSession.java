package io.boxer.seed;

import io.boxer.control.OutboundStream;
import io.boxer.control.RateLimitedLog;
import io.boxer.control.ServerLimits;
import io.boxer.control.ArrivalGaps;
import io.boxer.control.TokenBucket;
import io.boxer.control.tls.JoinToken;
import io.boxer.proto.seed.v1.NodeMessage;
import io.boxer.proto.seed.v1.RelayFailed;
import io.boxer.proto.seed.v1.SeedEvent;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One node's Join stream as the seed sees it: first a stranger that must send a valid {@code join} within
 * {@link ServerLimits#FIRST_MESSAGE}, then a member whose messages the seed acts on (within a rate limit)
 * and whose silence it times. gRPC delivers a call's messages one at a time, so the fields set on the first
 * message are read by later ones without locks; the registry reads {@link #lastHeardNanos()} from its tick.
 */
final class MemberSession implements StreamObserver<NodeMessage>, MemberStream {
  private static final Logger log = LoggerFactory.getLogger(MemberSession.class);
  /** Events that may wait for a member that does not read; past that it is cut off (and rejoins). */
  static final int MAX_QUEUED_EVENTS = 4096;
  /** A member's messages beyond this rate are dropped: a few per second is normal. */
  private static final int MESSAGES_PER_SECOND = 200;
  private static final int MESSAGE_BURST = 400;
  private static final RateLimitedLog rejectedJoins = new RateLimitedLog(log, 10, 10, TimeUnit.SECONDS);
  private static final RateLimitedLog dropped = new RateLimitedLog(log, 10, 10, TimeUnit.SECONDS);

  private final SeedRegistry registry;
  private final JoinToken token;
  private final RstProbe rstProbe;
  private final InetSocketAddress observed;
  private final X509Certificate clientCertificate;
  private final OutboundStream<SeedEvent> out;
  private final TokenBucket rate = new TokenBucket(MESSAGES_PER_SECOND, MESSAGE_BURST);
  private final ScheduledFuture<?> joinDeadline;
  private volatile long memberId;
  private volatile PublicKey publicKey;
  private volatile long lastHeardNanos = System.nanoTime();
  private final ArrivalGaps gaps = new ArrivalGaps(lastHeardNanos);

  /**
   * Call from the service method itself, so the stream's handlers are registered before it returns.
   *
   * @param clientCertificate the verified TLS client certificate, or null
   */
  MemberSession(SeedRegistry registry, JoinToken token, InetSocketAddress observed,
      X509Certificate clientCertificate, ServerCallStreamObserver<SeedEvent> responses,
      ScheduledExecutorService scheduler, RstProbe rstProbe) {
    this.registry = registry;
    this.rstProbe = rstProbe;
    this.token = token;
    this.observed = observed;
    this.clientCertificate = clientCertificate;
    // a member that does not read its events is removed off the gRPC thread (the registry may be sending)
    this.out = new OutboundStream<>(responses, MAX_QUEUED_EVENTS,
        status -> scheduler.execute(() -> registry.evict(memberId, status.getDescription())));
    responses.setOnCancelHandler(() -> registry.leave(this));
    // a stream the server itself ended (an exception in onNext, a status sent) completes without a cancel
    responses.setOnCloseHandler(() -> registry.leave(this));
    this.joinDeadline = scheduler.schedule(() -> {
      if (memberId == 0) {
        registry.joinRefused(Status.Code.DEADLINE_EXCEEDED);
        end(Status.DEADLINE_EXCEEDED.withDescription("no join request within "
            + ServerLimits.FIRST_MESSAGE.toSeconds() + " s"));
      }
    }, ServerLimits.FIRST_MESSAGE.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public void onNext(NodeMessage message) {
    if (out.ended()) {
      return; // the session is over (refused, removed, cut off): nothing it still sends is acted on
    }
    lastHeardNanos = System.nanoTime();
    gaps.arrived(lastHeardNanos);
    if (memberId == 0) {
      join(message);
      return;
    }
    if (!rate.tryTake()) {
      dropped.warn("Dropped a member's message over its rate limit. peerId={} body={}", memberId,
          message.getBodyCase());
      if (message.hasRelay()) {
        // the requester's application is waiting in a connect: say why at once instead of letting it time out
        send(SeedEvent.newBuilder().setRelayFailed(RelayFailed.newBuilder()
            .setRequestId(message.getRelay().getRequestId())
            .setReason("the seed refused: more than " + MESSAGES_PER_SECOND + " messages per second from this member"
                + " (relayed connects count)")).build());
      }
      return;
    }
    switch (message.getBodyCase()) {
      case HEARTBEAT -> { } // lastHeardNanos is all it is for
      case PRIMED -> registry.forwardPrimed(memberId, message.getPrimed().getPeerId());
      case REQUEST_PRIME -> registry.forwardPrimeRequest(memberId, message.getRequestPrime().getPeerId());
      case REQUEST_SIMULTANEOUS_OPEN -> registry.forwardSimultaneousOpenRequest(memberId,
          message.getRequestSimultaneousOpen().getPeerId());
      case SIMULTANEOUS_OPEN -> registry.forwardSimultaneousOpen(memberId, message.getSimultaneousOpen());
      case RENEW -> registry.renew(this);
      case SUSPECT -> registry.suspect(this, message.getSuspect().getPeerId(), System.nanoTime());
      case PROBE -> send(registry.probe(message.getProbe().getPeerId(), System.nanoTime()));
      case LINKS -> registry.report(this, message.getLinks(), System.nanoTime());
      case RELAY -> registry.relay(this, message.getRelay(), System.nanoTime());
      case RELAY_DECLINED -> registry.relayDeclined(this, message.getRelayDeclined(), System.nanoTime());
      case BARRIER -> {
        if (message.getBarrier().getMembers() >= 1) {
          registry.barrierPassed(message.getBarrier().getMembers());
        }
      }
      default -> dropped.warn("Dropped an unexpected message from a member. peerId={} body={}", memberId,
          message.getBodyCase());
    }
  }

  private void join(NodeMessage message) {
    joinDeadline.cancel(false);
    try {
      if (!message.hasJoin()) {
        throw Status.INVALID_ARGUMENT.withDescription("first message : " + message.getBodyCase()
            + " (expected: join)").asException();
      }
      ValidJoin join = ValidJoin.check(message.getJoin(), observed, clientCertificate, token,
          registry.relays(), registry.virtualRange());
      publicKey = join.publicKey();
      if (join.probePort() != 0) {
        // a host not behind a NAT: does it answer stray SYNs with RST? (at most 1 s, before it is admitted)
        join = join.withAnswersRst(rstProbe.answersRst(new InetSocketAddress(observed.getAddress(), join.probePort())));
      }
      registry.join(this, join);
    } catch (StatusException e) {
      rejectedJoins.warn("Rejected join. addr={} status={} reason={}", observed, e.getStatus().getCode(),
          e.getStatus().getDescription());
      registry.joinRefused(e.getStatus().getCode());
      end(e.getStatus());
    }
  }

  @Override
  public void admitted(long id) {
    memberId = id;
  }

  @Override
  public long memberId() {
    return memberId;
  }

  @Override
  public PublicKey publicKey() {
    return publicKey;
  }

  @Override
  public long lastHeardNanos() {
    return lastHeardNanos;
  }

  @Override
  public long recentMaxGapNanos(long now) {
    return gaps.recentMaxGapNanos(now);
  }

  @Override
  public void send(SeedEvent event) {
    out.send(event);
  }

  @Override
  public void end(Status status) {
    out.fail(status);
  }

  @Override
  public void onError(Throwable t) {
    joinDeadline.cancel(false);
    registry.leave(this);
  }

  @Override
  public void onCompleted() {
    joinDeadline.cancel(false);
    registry.leave(this);
    out.complete();
  }
}
