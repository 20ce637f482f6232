package io.boxer.control;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Shared gRPC settings and shutdown of Boxer's control connections. Keepalive pings find peers that vanished
 * without a FIN (a frozen function, a NAT that dropped its state) and keep NAT mappings warm: AWS's NAT
 * forgets idle TCP flows after 350 s.
 */
public final class GrpcLifecycle {
  /** How often an idle control connection is pinged. */
  public static final Duration KEEPALIVE_TIME = Duration.ofSeconds(20);
  /** How long a ping may go unanswered before the connection is considered dead. */
  public static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(10);
  /** Servers accept client pings this often (a little more often than clients send them). */
  public static final Duration PERMIT_KEEPALIVE_TIME = Duration.ofSeconds(10);

  private static final long GRACE_SECONDS = 2;

  private GrpcLifecycle() {}

  /** A control channel that pings when idle and gives up on a peer that stops answering. */
  public static NettyChannelBuilder withKeepalive(NettyChannelBuilder channel) {
    return channel
        .keepAliveTime(KEEPALIVE_TIME.toSeconds(), TimeUnit.SECONDS)
        .keepAliveTimeout(KEEPALIVE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .keepAliveWithoutCalls(true);
  }

  /** A control server that pings its clients and accepts their pings (even between calls). */
  public static NettyServerBuilder withKeepalive(NettyServerBuilder server) {
    return server
        .keepAliveTime(KEEPALIVE_TIME.toSeconds(), TimeUnit.SECONDS)
        .keepAliveTimeout(KEEPALIVE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
        .permitKeepAliveTime(PERMIT_KEEPALIVE_TIME.toSeconds(), TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true);
  }

  /** Orderly shutdown, then a forced one if calls are still running after a short grace period. Null-safe. */
  public static void shutdown(ManagedChannel channel) throws InterruptedException {
    if (channel != null) {
      channel.shutdown();
      if (!channel.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS)) {
        channel.shutdownNow();
      }
    }
  }

  /** Orderly shutdown, then a forced one if calls are still running after a short grace period. Null-safe. */
  public static void shutdown(Server server) throws InterruptedException {
    if (server != null) {
      server.shutdown();
      if (!server.awaitTermination(GRACE_SECONDS, TimeUnit.SECONDS)) {
        server.shutdownNow();
      }
    }
  }
}
