package io.boxer.deathstar.app;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.util.concurrent.locks.LockSupport;

/**
 * Holds each call as long as a {@link CapacityModel} says before the service handles it, so the instance serves
 * no more than its modeled capacity. The hold sleeps on gRPC's call executor (a cached pool), which is fine for
 * the demo's unary calls: the frontend bounds how many are in flight.
 */
final class CapacityInterceptor implements ServerInterceptor {
  private final CapacityModel model;

  CapacityInterceptor(CapacityModel model) {
    this.model = model;
  }

  @Override
  public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
      ServerCallHandler<Q, R> next) {
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(next.startCall(call, headers)) {
      @Override
      public void onHalfClose() { // a unary call's request is complete: the service runs now
        long until = System.nanoTime() + model.holdNanos(System.nanoTime());
        long left;
        while ((left = until - System.nanoTime()) > 0) {
          LockSupport.parkNanos(left);
          if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            break;
          }
        }
        super.onHalfClose();
      }
    };
  }
}
