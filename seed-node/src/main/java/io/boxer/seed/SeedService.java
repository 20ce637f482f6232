package io.boxer.seed;

import io.boxer.control.CallerInterceptor;
import io.boxer.control.tls.JoinToken;
import io.boxer.proto.seed.v1.NodeMessage;
import io.boxer.proto.seed.v1.SeedEvent;
import io.boxer.proto.seed.v1.SeedGrpc;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.ScheduledExecutorService;

/** The Seed gRPC service: one {@link MemberSession} per Join stream. Needs {@link CallerInterceptor} in front. */
final class SeedService extends SeedGrpc.SeedImplBase {
  private final SeedRegistry registry;
  private final JoinToken token;
  private final ScheduledExecutorService scheduler;

  SeedService(SeedRegistry registry, JoinToken token, ScheduledExecutorService scheduler) {
    this.registry = registry;
    this.token = token;
    this.scheduler = scheduler;
  }

  @Override
  public StreamObserver<NodeMessage> join(StreamObserver<SeedEvent> responses) {
    return new MemberSession(registry, token, CallerInterceptor.address(), CallerInterceptor.certificate(),
        (ServerCallStreamObserver<SeedEvent>) responses, scheduler);
  }
}
