package io.boxer.seed;

import io.boxer.control.CallerInterceptor;
import io.boxer.control.Protocol;
import io.boxer.control.RateLimitedLog;
import io.boxer.control.TokenBucket;
import io.boxer.control.tls.JoinToken;
import io.boxer.proto.seed.v1.ClusterStatus;
import io.boxer.proto.seed.v1.NodeMessage;
import io.boxer.proto.seed.v1.SeedEvent;
import io.boxer.proto.seed.v1.SeedGrpc;
import io.boxer.proto.seed.v1.StatusRequest;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Seed gRPC service: one {@link MemberSession} per Join stream, and the cluster's status for callers that
 * hold the token. Needs {@link CallerInterceptor} in front.
 */
final class SeedService extends SeedGrpc.SeedImplBase {
  /** Status calls per second from token holders together: an operator's `boxer status`, not a monitoring flood. */
  static final int STATUS_CALLS_PER_SECOND = 5;
  static final int STATUS_CALL_BURST = 10;

  private static final Logger log = LoggerFactory.getLogger(SeedService.class);
  private static final RateLimitedLog refused = new RateLimitedLog(log, 10, 10, TimeUnit.SECONDS);

  private final SeedRegistry registry;
  private final JoinToken token;
  private final ScheduledExecutorService scheduler;
  private final RstProbe rstProbe = new RstProbe();
  private final TokenBucket statusCalls = new TokenBucket(STATUS_CALLS_PER_SECOND, STATUS_CALL_BURST);

  SeedService(SeedRegistry registry, JoinToken token, ScheduledExecutorService scheduler) {
    this.registry = registry;
    this.token = token;
    this.scheduler = scheduler;
  }

  @Override
  public StreamObserver<NodeMessage> join(StreamObserver<SeedEvent> responses) {
    return new MemberSession(registry, token, CallerInterceptor.address(), CallerInterceptor.certificate(),
        (ServerCallStreamObserver<SeedEvent>) responses, scheduler, rstProbe);
  }

  /** The cluster as the seed sees it, for a caller that proves it holds the token as a join does. */
  @Override
  public void status(StatusRequest request, StreamObserver<ClusterStatus> responses) {
    // the token first: a caller without it must not use up the operators' budget (a 256-bit token is not
    // guessable, and a wrong one costs a comparison and a rate-limited log line)
    Status refusal = request.getProtocolVersion() != Protocol.VERSION
        ? Status.INVALID_ARGUMENT.withDescription("protocol_version : " + request.getProtocolVersion()
            + " (expected: " + Protocol.VERSION + "; use the seed's boxer version)")
        : !token.matchesJoinKey(request.getJoinKey().toByteArray())
            ? Status.UNAUTHENTICATED.withDescription("wrong join token")
            : !statusCalls.tryTake()
                ? Status.RESOURCE_EXHAUSTED.withDescription("more than " + STATUS_CALLS_PER_SECOND
                    + " status calls per second; try again later")
                : null;
    if (refusal != null) {
      refused.warn("Refused a status call. addr={} status={}", CallerInterceptor.address(), refusal.getCode());
      responses.onError(refusal.asException());
      return;
    }
    responses.onNext(registry.clusterStatus(System.nanoTime()));
    responses.onCompleted();
  }
}
