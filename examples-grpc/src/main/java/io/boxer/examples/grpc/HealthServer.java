package io.boxer.examples.grpc;

import io.grpc.Attributes;
import io.grpc.Grpc;
import io.grpc.Server;
import io.grpc.ServerBuilder;
import io.grpc.ServerTransportFilter;
import io.grpc.protobuf.services.HealthStatusManager;

/**
 * A plain gRPC server with the standard health service, on grpc-netty-shaded's defaults. Prints
 * {@code listening on PORT}, then {@code client connected from HOST:PORT} for each client connection.
 * Usage: {@code HealthServer PORT}.
 */
public final class HealthServer {

  private HealthServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Server server = ServerBuilder.forPort(port)
        .addService(new HealthStatusManager().getHealthService())
        .addTransportFilter(new ServerTransportFilter() {
          @Override
          public Attributes transportReady(Attributes attributes) {
            System.out.println("client connected from " + attributes.get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
            return attributes;
          }
        })
        .build()
        .start();
    System.out.println("listening on " + port);
    Runtime.getRuntime().addShutdownHook(new Thread(server::shutdownNow));
    server.awaitTermination();
  }
}
