package io.boxer.deathstar.app;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Waits for a future-stub call. No timeout here: every call carries a deadline, which completes the future.
 */
final class RpcFutures {
  private RpcFutures() {}

  /**
   * The call's response.
   *
   * @throws StatusRuntimeException the call's failure (CANCELLED if this thread was interrupted)
   */
  static <T> T await(Future<T> call) {
    try {
      return call.get();
    } catch (ExecutionException e) {
      throw Status.fromThrowable(e.getCause()).asRuntimeException();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      call.cancel(true);
      throw Status.CANCELLED.withDescription("interrupted while waiting for a downstream call").asRuntimeException();
    }
  }
}
