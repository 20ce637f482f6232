package io.boxer.seed;

import io.boxer.node.GrpcLifecycle;
import io.boxer.node.RemoteAddressInterceptor;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed process's server: the rendezvous every node joins through. It carries no application or mesh
 * traffic; once the mesh is up the cluster works without it. Start once, close once.
 */
public final class SeedServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SeedServer.class);
  private final SeedRegistry registry = new SeedRegistry();
  private final Server server;

  /** Builds (without starting) a seed listening on {@code bind}. */
  public SeedServer(InetSocketAddress bind) {
    // pings find members that vanished without a FIN, so their address is freed for a restart
    this.server = GrpcLifecycle.withKeepalive(NettyServerBuilder.forAddress(bind))
        .addService(ServerInterceptors.intercept(new SeedService(registry), new RemoteAddressInterceptor()))
        .build();
  }

  /** @throws IOException if the port cannot be bound */
  public SeedServer start() throws IOException {
    server.start();
    log.info("Seed listening. addr={}", server.getListenSockets());
    return this;
  }

  /** The bound port (useful when started with port 0). */
  public int port() {
    return server.getPort();
  }

  /** The number of current members. */
  public int members() {
    return registry.size();
  }

  public void awaitTermination() throws InterruptedException {
    server.awaitTermination();
  }

  @Override
  public void close() throws InterruptedException {
    GrpcLifecycle.shutdown(server);
  }
}
