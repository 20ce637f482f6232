package io.boxer.node.relay;

import io.boxer.control.RateLimitedLog;
import io.boxer.control.relay.RelayWire;
import io.boxer.control.relay.Splice;
import io.boxer.node.membership.Peer;
import io.boxer.node.mesh.OwnSplices;
import io.boxer.proto.seed.v1.NodeMessage;
import io.boxer.proto.seed.v1.RelayDeclined;
import io.boxer.proto.seed.v1.RelayFailed;
import io.boxer.proto.seed.v1.RelayOffer;
import io.boxer.proto.seed.v1.RelayRequest;
import io.boxer.proto.seed.v1.RelayTicket;
import io.boxer.proto.v1.LinkPath;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's side of the seed's relay (seed.proto, "The relay"; docs/relay.md). Outbound: {@link #connect} asks
 * the seed for a session to a member's port, dials the relay with the ticket and, once paired, offers the
 * connection on a one-shot loopback endpoint for the local client. Inbound: {@link #offer} takes a session a member
 * asked for, if the {@link Admission} allows it, by connecting the local port (an application's listener, or this
 * node's control port) and the relay, and splicing the two. Thread-safe; the seed events arrive on the node's
 * events thread, the rest runs on the Netty event loop (not owned).
 */
public final class Relays {
  private static final Logger log = LoggerFactory.getLogger(Relays.class);
  private static final RateLimitedLog declined = new RateLimitedLog(log, 10, 10, TimeUnit.SECONDS);
  /** Relay requests this node may have waiting for the seed at once. */
  static final int MAX_IN_FLIGHT = 1024;
  /**
   * The longest a relayed connect waits for the other end, either side: the seed's tickets live as long. TCP
   * connects to the relay over a lossy path retransmit their SYNs after 1, 3 and 7 s, so less would fail
   * connects that a direct path would have made.
   */
  public static final Duration MAX_WAIT = Duration.ofSeconds(10);
  /** How long an offered session may take to connect its local port and the relay. */
  static final Duration OFFER_TIMEOUT = MAX_WAIT;
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  /** Decides whether a member may have a relayed connection to a local port. */
  @FunctionalInterface
  public interface Admission {
    /** Null if {@code from} may connect to {@code port}, else why not (sent to it). */
    Refusal refusal(Peer from, int port);
  }

  /**
   * Why a relayed connection was turned down; {@code refused}: nothing listens or the policy forbids it, so the
   * client fails with "connection refused" as without Boxer.
   */
  public record Refusal(String reason, boolean refused) {}

  /** A relayed connect the other member refused: nothing listens there, or the policy forbids it. */
  public static final class RefusedException extends IOException {
    public RefusedException(String message) {
      super(message);
    }
  }

  /** What the relay did for this node, for its metrics. */
  public static final class Counters {
    public final AtomicLong outboundOpened = new AtomicLong();
    public final AtomicLong outboundFailed = new AtomicLong();
    public final AtomicLong inboundOpened = new AtomicLong();
    public final AtomicLong inboundDeclined = new AtomicLong();
    public final AtomicLong inboundFailed = new AtomicLong();
    public final LongAdder bytes = new LongAdder();
  }

  private record Request(CompletableFuture<RelayDialer.Paired> paired, long deadlineNanos) {}

  private final EventLoopGroup eventLoop;
  private final RelayDialer dialer;
  private final Consumer<NodeMessage> toSeed;
  private final Admission admission;
  private final int controlPort;
  private final Counters counters = new Counters();
  private final AtomicLong nextRequestId = new AtomicLong(1);
  private final Map<Long, Request> requests = new ConcurrentHashMap<>();
  private final OwnSplices splices;
  private volatile InetSocketAddress relay;

  /**
   * @param toSeed sends a message on the seed session
   * @param controlPort this node's control port: a session for it carries a control link
   * @param splices where a session carrying a control link is registered (for the mesh service)
   */
  public Relays(EventLoopGroup eventLoop, Consumer<NodeMessage> toSeed, Admission admission, int controlPort,
      OwnSplices splices) {
    this.eventLoop = eventLoop;
    this.dialer = new RelayDialer(eventLoop);
    this.toSeed = toSeed;
    this.admission = admission;
    this.controlPort = controlPort;
    this.splices = splices;
  }

  /** Where the seed's relay listens, from its welcome; null when the seed has none. */
  public void relayAt(InetSocketAddress address) {
    relay = address;
  }

  /** Whether the seed relays. */
  public boolean available() {
    return relay != null;
  }

  public Counters counters() {
    return counters;
  }

  /**
   * A relayed connection to {@code peer}'s {@code port}: completes with the loopback endpoint the local client
   * connects to (it must within {@link LoopbackEndpoint#ACCEPT_WITHIN}), or exceptionally with an
   * {@link IOException} naming the step that failed, within {@code timeout}.
   */
  public CompletableFuture<InetSocketAddress> connect(Peer peer, int port, Duration timeout) {
    return connect(peer, port, false, timeout);
  }

  /** As {@link #connect}, to {@code peer}'s control port: the connection carries this node's control link. */
  public CompletableFuture<InetSocketAddress> connectControl(Peer peer, Duration timeout) {
    return connect(peer, 0, true, timeout);
  }

  private CompletableFuture<InetSocketAddress> connect(Peer peer, int port, boolean control, Duration timeout) {
    return request(peer, port, control, timeout)
        .thenCompose(paired -> LoopbackEndpoint.open(eventLoop, paired, counters.bytes))
        .whenComplete((endpoint, error) -> (error == null ? counters.outboundOpened : counters.outboundFailed)
            .incrementAndGet());
  }

  private CompletableFuture<RelayDialer.Paired> request(Peer peer, int port, boolean control, Duration timeout) {
    InetSocketAddress at = relay;
    if (at == null) {
      return CompletableFuture.failedFuture(new IOException("no direct path to member " + peer.id()
          + ", and the seed runs without a relay"));
    }
    if (requests.size() >= MAX_IN_FLIGHT) {
      return CompletableFuture.failedFuture(new IOException(MAX_IN_FLIGHT + " relayed connects are in flight"));
    }
    long id = nextRequestId.getAndIncrement();
    CompletableFuture<RelayDialer.Paired> paired = new CompletableFuture<>();
    // the request stays until it ends: a refusal may arrive from the seed while the relay dial waits
    requests.put(id, new Request(paired, System.nanoTime() + timeout.toNanos()));
    ScheduledFuture<?> deadline = eventLoop.schedule(() -> paired.completeExceptionally(new IOException(
        "no relayed connection within " + timeout.toMillis() + " ms (no answer from the seed, or from the member)")),
        timeout.toMillis(), TimeUnit.MILLISECONDS);
    paired.whenComplete((p, e) -> {
      requests.remove(id);
      deadline.cancel(false);
    });
    toSeed.accept(NodeMessage.newBuilder().setRelay(RelayRequest.newBuilder()
        .setRequestId(id).setPeerId(peer.id()).setPort(port).setControlLink(control)).build());
    return paired;
  }

  /** The seed's answer to a relay request: dial the relay with the ticket. */
  public void ticket(RelayTicket ticket) {
    Request request = requests.get(ticket.getRequestId());
    InetSocketAddress at = relay;
    if (request == null || at == null) {
      return; // timed out meanwhile; the relay drops the session when its tickets expire
    }
    if (ticket.getTicket().size() != RelayWire.TICKET_BYTES) {
      request.paired().completeExceptionally(new IOException("the seed sent a malformed relay ticket"));
      return;
    }
    long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(request.deadlineNanos() - System.nanoTime()));
    dialer.dial(at, ticket.getTicket().toByteArray(), Duration.ofMillis(left)).whenComplete((paired, error) -> {
      if (error != null) {
        request.paired().completeExceptionally(error);
      } else if (!request.paired().complete(paired)) {
        paired.early().release();
        paired.channel().close();
      }
    });
  }

  /** The seed could not serve a relay request (or the peer declined it). */
  public void failed(RelayFailed failed) {
    Request request = requests.get(failed.getRequestId());
    if (request != null) {
      request.paired().completeExceptionally(failed.getRefused() ? new RefusedException(failed.getReason())
          : new IOException(failed.getReason()));
    }
  }

  /**
   * Member {@code from} asked for a relayed connection to this node's port: connects that port on this host and
   * the relay, and splices them; or declines, telling the seed why.
   */
  public void offer(RelayOffer offer, Peer from) {
    InetSocketAddress at = relay;
    boolean control = offer.getControlLink();
    int port = control ? controlPort : offer.getPort();
    Refusal refusal = at == null ? new Refusal("this node knows no relay", false)
        : offer.getTicket().size() != RelayWire.TICKET_BYTES ? new Refusal("malformed ticket", false)
        : port < 1 || port > 65535 ? new Refusal("port : " + port + " (expected: 1..65535)", false)
        : control ? null
        : admission.refusal(from, port);
    if (refusal != null) {
      decline(offer, refusal);
      return;
    }
    byte[] ticket = offer.getTicket().toByteArray();
    ChannelFuture local = Splice.endBootstrap(eventLoop, OFFER_TIMEOUT).connect(new InetSocketAddress(LOOPBACK, port));
    local.addListener(f -> {
      if (!f.isSuccess()) {
        decline(offer, new Refusal("connecting port " + port + " on the member failed: "
            + f.cause().getMessage(), false));
        return;
      }
      Channel channel = local.channel();
      if (control) {
        splices.add(channel, from.id(), LinkPath.RELAYED);
      }
      dialer.dial(at, ticket, OFFER_TIMEOUT).whenComplete((paired, error) -> {
        if (error != null) {
          counters.inboundFailed.incrementAndGet();
          declined.warn("Relayed connection from a member failed. peerId={} port={} reason={}", from.id(), port,
              error.getMessage());
          channel.close();
          return;
        }
        counters.inboundOpened.incrementAndGet();
        log.debug("Relayed connection from a member. peerId={} port={}", from.id(), port);
        Splice.join(channel, paired.channel(), paired.early(), counters.bytes);
      });
    });
  }

  /** Turns an offered session down, telling the seed (and so the requester) why. */
  public void decline(RelayOffer offer, Refusal refusal) {
    counters.inboundDeclined.incrementAndGet();
    declined.warn("Declined a relayed connection. peerId={} port={} reason={}", offer.getPeerId(), offer.getPort(),
        refusal.reason());
    toSeed.accept(NodeMessage.newBuilder().setRelayDeclined(RelayDeclined.newBuilder()
        .setSessionId(offer.getSessionId()).setReason(refusal.reason()).setRefused(refusal.refused())).build());
  }
}
