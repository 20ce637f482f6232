package io.boxer.node.mesh;

import io.boxer.control.relay.Splice;
import io.boxer.node.membership.Peer;
import io.boxer.proto.v1.LinkPath;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The older member's end of a control link opened simultaneously (docs/relay.md, "Simultaneous open"). Behind a
 * NAT that tracks TCP sequence windows a primed dial fails: the listener's SYN-ACK carries another initial sequence
 * number than the priming SYN, and the NAT drops it as invalid. A socket that stays in SYN_SENT instead answers the
 * dial's SYN itself with a SYN-ACK of its own sequence, which the NAT lets through: so this node connects from a
 * fresh port toward the newer member's control endpoint, has the newer member dial that port (through the seed,
 * {@code started}), and once both SYNs met, splices the connection to its own control server on loopback, which then
 * serves the link as it serves any dialed one. A fresh port, not the control port: the failed dial left a
 * half-open entry on the control port's listener for the same pair of endpoints, which blocks a connect from that
 * port for about a minute.
 *
 * <p>Thread-safe; runs on the Netty event loop (not owned).
 */
public final class SimultaneousOpener {
  private static final Logger log = LoggerFactory.getLogger(SimultaneousOpener.class);
  /** How long the connect toward the newer member waits for its SYN (the seed's round trip, then its dial). */
  public static final Duration CONNECT_WITHIN = Duration.ofSeconds(3);
  /** Simultaneous opens this node runs at once; a newer member asks for one only after its dial failed. */
  static final int MAX_IN_FLIGHT = 64;
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private final EventLoopGroup eventLoop;
  private final int controlPort;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final OwnSplices splices;

  /**
   * @param controlPort this node's control server, on loopback too
   * @param splices where each splice is registered (for the mesh service)
   */
  public SimultaneousOpener(EventLoopGroup eventLoop, int controlPort, OwnSplices splices) {
    this.eventLoop = eventLoop;
    this.controlPort = controlPort;
    this.splices = splices;
  }

  /**
   * Connects toward {@code newer}'s control endpoint from a fresh port and, once connected, splices that connection
   * to this node's control server. Calls {@code started} with the port once the connect's SYN is out (then the
   * newer member may dial it). The future completes when the splice is in place, or exceptionally with the step
   * that failed.
   */
  public CompletableFuture<Void> open(Peer newer, IntConsumer started) {
    if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
      inFlight.decrementAndGet();
      return CompletableFuture.failedFuture(new IOException(MAX_IN_FLIGHT + " simultaneous opens in flight"));
    }
    CompletableFuture<Void> result = new CompletableFuture<>();
    result.whenComplete((done, error) -> inFlight.decrementAndGet());
    ChannelFuture bound = Splice.endBootstrap(eventLoop, CONNECT_WITHIN)
        // closing sends RST: no TIME_WAIT holds the port's pair of endpoints
        .option(ChannelOption.SO_LINGER, 0)
        .bind(new InetSocketAddress(0));
    bound.addListener(b -> {
      if (!b.isSuccess()) {
        result.completeExceptionally(new IOException("binding a port failed: " + b.cause().getMessage(), b.cause()));
        return;
      }
      Channel outward = bound.channel();
      int port = ((InetSocketAddress) outward.localAddress()).getPort();
      // on the event loop, connect() sends the SYN before it returns
      ChannelFuture connected = outward.connect(newer.control());
      started.accept(port);
      connected.addListener(c -> {
        if (!c.isSuccess()) {
          result.completeExceptionally(new IOException("no SYN from member " + newer.id() + " at " + newer.control()
              + " to port " + port + " within " + CONNECT_WITHIN.toMillis() + " ms: " + c.cause().getMessage(),
              c.cause()));
          outward.close();
          return;
        }
        spliceToControlServer(newer, outward, result);
      });
    });
    return result;
  }

  private void spliceToControlServer(Peer newer, Channel outward, CompletableFuture<Void> result) {
    ChannelFuture local = Splice.endBootstrap(eventLoop, CONNECT_WITHIN)
        .connect(new InetSocketAddress(LOOPBACK, controlPort));
    local.addListener(f -> {
      if (!f.isSuccess()) {
        result.completeExceptionally(new IOException("connecting the control server on port " + controlPort
            + " failed: " + f.cause().getMessage(), f.cause()));
        outward.close();
        return;
      }
      Channel channel = local.channel();
      splices.add(channel, newer.id(), LinkPath.SIMULTANEOUS_OPEN);
      Splice.join(channel, outward, null);
      log.debug("Opened simultaneously with member. peerId={} addr={}", newer.id(), newer.control());
      result.complete(null);
    });
  }
}
