package io.boxer.control;

import io.grpc.netty.NettyServerBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The bounds of a control server (seed or mesh), so that nobody who reaches the port can make it hold
 * unbounded state: concurrent calls per connection, message and metadata size, idle connections, HTTP/2
 * rapid reset. Besides these, every stream of Boxer's services must send its first message within
 * {@link #FIRST_MESSAGE} and each service limits its own request rates; TLS handshakes time out after Netty's
 * default of 10 s.
 *
 * @param maxCallsPerConnection concurrent calls (streams) one connection may have open
 * @param maxMessageBytes the largest inbound message; larger ones fail the call with RESOURCE_EXHAUSTED
 * @param maxConnectionIdle a connection without calls for this long is closed
 */
public record ServerLimits(int maxCallsPerConnection, int maxMessageBytes, Duration maxConnectionIdle) {
  /** A stream whose first message has not arrived after this long is closed with DEADLINE_EXCEEDED. */
  public static final Duration FIRST_MESSAGE = Duration.ofSeconds(5);
  /** Metadata (headers) of a call; Boxer's calls send almost none. */
  public static final int MAX_METADATA_BYTES = 8 * 1024;
  /** HTTP/2 RST_STREAM frames a client may send per window before the connection is closed (CVE-2023-44487). */
  public static final int MAX_RST_FRAMES = 200;
  public static final int RST_WINDOW_SECONDS = 10;

  /** The seed: one Join stream per member connection, small messages. */
  public static final ServerLimits SEED = new ServerLimits(4, 64 * 1024, Duration.ofSeconds(30));
  /**
   * A node's mesh server: one Link stream per peer connection, tiny frames. A connection whose link ended is
   * closed within 2 s: the pair's next link needs the same 4-tuple (control port to control port).
   */
  public static final ServerLimits MESH = new ServerLimits(4, 16 * 1024, Duration.ofSeconds(2));

  public ServerLimits {
    if (maxCallsPerConnection < 1) {
      throw new IllegalArgumentException("maxCallsPerConnection : " + maxCallsPerConnection + " (expected: >= 1)");
    }
    if (maxMessageBytes < 1024) {
      throw new IllegalArgumentException("maxMessageBytes : " + maxMessageBytes + " (expected: >= 1024)");
    }
  }

  /** Applies these bounds and the shared keepalive settings to a server builder. */
  public NettyServerBuilder apply(NettyServerBuilder server) {
    return GrpcLifecycle.withKeepalive(server)
        .maxConcurrentCallsPerConnection(maxCallsPerConnection)
        .maxInboundMessageSize(maxMessageBytes)
        .maxInboundMetadataSize(MAX_METADATA_BYTES)
        .maxConnectionIdle(maxConnectionIdle.toMillis(), TimeUnit.MILLISECONDS)
        .maxRstFramesPerWindow(MAX_RST_FRAMES, RST_WINDOW_SECONDS);
  }
}
