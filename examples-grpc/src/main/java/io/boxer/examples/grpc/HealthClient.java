package io.boxer.examples.grpc;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.netty.channel.epoll.Epoll;
import java.util.concurrent.TimeUnit;

/**
 * A plain gRPC client on grpc-netty-shaded's defaults: asks the health service once and prints its status
 * ({@code status: SERVING}), after {@code epoll: true|false} (whether the shaded Netty's native epoll transport,
 * which gRPC uses by default on Linux, is available). Exit codes: 0 answered, 3 the call failed.
 * Usage: {@code HealthClient HOST PORT [DEADLINE_MS]}.
 */
public final class HealthClient {

  private HealthClient() {}

  public static void main(String[] args) throws Exception {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    long deadlineMillis = args.length > 2 ? Long.parseLong(args[2]) : 10_000;
    System.out.println("epoll: " + Epoll.isAvailable());
    ManagedChannel channel = ManagedChannelBuilder.forAddress(host, port).usePlaintext().build();
    int exit = 0;
    try {
      HealthCheckResponse response = HealthGrpc.newBlockingStub(channel)
          .withDeadlineAfter(deadlineMillis, TimeUnit.MILLISECONDS)
          .check(HealthCheckRequest.getDefaultInstance());
      System.out.println("status: " + response.getStatus());
    } catch (StatusRuntimeException e) {
      System.out.println("failed: " + e.getStatus());
      exit = 3;
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
    System.exit(exit);
  }
}
