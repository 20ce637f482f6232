package io.boxer.seed;

import io.boxer.node.NodeConfig;
import io.boxer.node.RemoteAddressInterceptor;
import io.boxer.proto.seed.v1.JoinRequest;
import io.boxer.proto.seed.v1.ReportPrimedRequest;
import io.boxer.proto.seed.v1.ReportPrimedResponse;
import io.boxer.proto.seed.v1.RequestPrimeRequest;
import io.boxer.proto.seed.v1.RequestPrimeResponse;
import io.boxer.proto.seed.v1.SeedEvent;
import io.boxer.proto.seed.v1.SeedGrpc;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Seed gRPC service: validates requests and delegates to the {@link SeedRegistry}. */
final class SeedService extends SeedGrpc.SeedImplBase {
  private static final Logger log = LoggerFactory.getLogger(SeedService.class);
  private final SeedRegistry registry;

  SeedService(SeedRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void join(JoinRequest request, StreamObserver<SeedEvent> responses) {
    InetSocketAddress observed = RemoteAddressInterceptor.current();
    if (request.getProtocolVersion() != NodeConfig.PROTOCOL_VERSION) {
      reject(responses, observed, Status.FAILED_PRECONDITION.withDescription("protocol_version : "
          + request.getProtocolVersion() + " (expected: " + NodeConfig.PROTOCOL_VERSION + ")"));
      return;
    }
    if (request.getControlPort() < 1 || request.getControlPort() > 65535) {
      reject(responses, observed, Status.INVALID_ARGUMENT.withDescription(
          "control_port : " + request.getControlPort() + " (expected: 1..65535)"));
      return;
    }
    if (observed == null) {
      reject(responses, null, Status.INTERNAL.withDescription("the transport gave no remote address"));
      return;
    }
    if (observed.getPort() != request.getControlPort()) {
      // peers prime and dial toward the external port of the control port: it must be predictable
      reject(responses, observed, Status.FAILED_PRECONDITION.withDescription("control port "
          + request.getControlPort() + " was seen as port " + observed.getPort() + ": this node's NAT does not "
          + "preserve ports, and Boxer needs one that does (as AWS Lambda's does); relaying is not supported"));
      return;
    }
    ServerCallStreamObserver<SeedEvent> stream = (ServerCallStreamObserver<SeedEvent>) responses;
    try {
      long id = registry.join(observed, event -> {
        synchronized (stream) {
          if (!stream.isCancelled()) {
            stream.onNext(event);
          }
        }
      });
      stream.setOnCancelHandler(() -> registry.leave(id));
    } catch (StatusException e) {
      reject(responses, observed, e.getStatus());
    }
  }

  @Override
  public void reportPrimed(ReportPrimedRequest request, StreamObserver<ReportPrimedResponse> responses) {
    relay("priming report", responses, ReportPrimedResponse.getDefaultInstance(),
        caller -> registry.forwardPrimed(request.getNodeId(), request.getPeerId(), caller));
  }

  @Override
  public void requestPrime(RequestPrimeRequest request, StreamObserver<RequestPrimeResponse> responses) {
    relay("prime request", responses, RequestPrimeResponse.getDefaultInstance(),
        caller -> registry.forwardPrimeRequest(request.getNodeId(), request.getPeerId(), caller));
  }

  private interface Relay {
    void forward(InetAddress caller) throws StatusException;
  }

  /** Runs one forwarding step for the calling member and answers the unary call. */
  private static <R> void relay(String what, StreamObserver<R> responses, R ok, Relay relay) {
    InetSocketAddress caller = RemoteAddressInterceptor.current();
    try {
      relay.forward(caller == null ? null : caller.getAddress());
      responses.onNext(ok);
      responses.onCompleted();
    } catch (StatusException e) {
      log.warn("Rejected {}. addr={} reason={}", what, caller, e.getStatus().getDescription());
      responses.onError(e);
    }
  }

  private static void reject(StreamObserver<SeedEvent> responses, InetSocketAddress addr, Status status) {
    log.warn("Rejected join. addr={} reason={}", addr, status.getDescription());
    responses.onError(status.asRuntimeException());
  }
}
