package io.boxer.deathstar.app;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Completes a unary gRPC call from a handler body, turning its failures into statuses: a downstream
 * {@link StatusRuntimeException} keeps its code; {@link IllegalArgumentException} is INVALID_ARGUMENT; a Redis
 * failure is UNAVAILABLE; anything else is INTERNAL (and logged, being a bug). Descriptions start with the role.
 */
final class UnaryCalls {
  private static final Logger log = LoggerFactory.getLogger(UnaryCalls.class);

  private UnaryCalls() {}

  static <T> void reply(Role role, StreamObserver<T> observer, Callable<T> body) {
    T response;
    try {
      response = body.call();
    } catch (StatusRuntimeException e) {
      observer.onError(prefixed(role, e.getStatus()).asRuntimeException());
      return;
    } catch (IllegalArgumentException e) {
      observer.onError(Status.INVALID_ARGUMENT.withDescription(role + ": " + e.getMessage()).asRuntimeException());
      return;
    } catch (JedisException e) {
      observer.onError(Status.UNAVAILABLE.withDescription(role + ": redis: " + e.getMessage()).withCause(e)
          .asRuntimeException());
      return;
    } catch (Exception e) {
      log.error("Handler failed. role={}", role, e);
      observer.onError(Status.INTERNAL.withDescription(role + ": " + e).withCause(e).asRuntimeException());
      return;
    }
    observer.onNext(response);
    observer.onCompleted();
  }

  private static Status prefixed(Role role, Status status) {
    String description = status.getDescription();
    return status.withDescription(role + ": " + (description == null ? status.getCode().toString() : description));
  }
}
