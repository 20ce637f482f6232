package io.boxer.node.mesh;

import io.boxer.node.priming.NatPrimer;
import io.boxer.proto.mesh.v1.PrimeResponse;
import io.boxer.proto.v1.PrimeResult;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds out whether primed connects reach a member whose control link is not direct. A control link opens
 * simultaneously (or through the relay) when the primed dial did not connect within a second: behind a NAT that
 * drops primed connects, but also when one SYN was lost. Application connects to that member would then go
 * through the seed's relay for as long as the link lives, so the node tries again what they need: it asks the
 * member, over the link, to prime its control port toward a fresh local port, and connects from that port. If the
 * connect gets through, the member's listeners are primed like a direct member's
 * ({@link MeshLink#primedConnectsWork}); the connection is closed at once (nothing is sent on it). At most
 * {@link #ATTEMPTS} attempts per link, {@link #RETRY_AFTER} apart; each costs the member a few priming SYNs and,
 * where its NAT drops the connect, one half-open entry on its listener.
 *
 * <p>{@link #run} runs on the node's timer; the attempts run on the Netty event loop. Thread-safe.
 */
public final class PrimedPathCheck {
  private static final Logger log = LoggerFactory.getLogger(PrimedPathCheck.class);
  static final int ATTEMPTS = 3;
  /** A primed connect answers within a round trip; this also waits out one lost SYN (retransmitted after 1 s). */
  static final Duration CONNECT_WITHIN = Duration.ofMillis(2500);
  static final Duration PRIME_WITHIN = Duration.ofSeconds(5);
  /**
   * How long the check waits between the member's PRIMED answer and its connect: longer than an application's
   * connect ever does, so that a NAT that tracks sequence windows drops it. Linux hosts pick a connection's initial
   * sequence number from its addresses and ports and a clock that adds one every 64 ns, so a listener's SYN-ACK
   * sent within ~4 ms of its priming SYN falls inside the window the priming SYN opened, and passes such a NAT by
   * accident (measured in the lab: a check without the wait got through {@code strict} NATs). A NAT that does not
   * track windows lets the check through whatever the wait.
   */
  static final Duration CONNECT_AFTER = Duration.ofMillis(100);
  static final Duration RETRY_AFTER = Duration.ofSeconds(5);

  private final EventLoopGroup eventLoop;
  private final Supplier<InetAddress> ownExternalIp;
  /** The links being checked; a link leaves once it is closed. */
  private final Map<MeshLink, Attempts> checked = new HashMap<>();

  /** One link's attempts so far; guarded by the check's lock. */
  private static final class Attempts {
    int made;
    long nextAtNanos;
    boolean running;

    Attempts(long now) {
      nextAtNanos = now;
    }
  }

  public PrimedPathCheck(EventLoopGroup eventLoop, Supplier<InetAddress> ownExternalIp) {
    this.eventLoop = eventLoop;
    this.ownExternalIp = ownExternalIp;
  }

  /**
   * Starts an attempt for each open link without a primed path whose attempt is due. Links to members whose NAT
   * does not preserve ports are left out: no prime opens those.
   *
   * @param now the current {@link System#nanoTime()}
   */
  public synchronized void run(long now, Collection<MeshLink> open) {
    if (!checked.isEmpty()) {
      checked.keySet().retainAll(open);
    }
    for (MeshLink link : open) {
      if (link.primedConnectsWork() || link.peer().relayOnly()) {
        continue;
      }
      Attempts attempts = checked.computeIfAbsent(link, l -> new Attempts(now));
      if (attempts.running || attempts.made >= ATTEMPTS || now - attempts.nextAtNanos < 0) {
        continue;
      }
      attempts.running = true;
      attempts.made++;
      attempt(link);
    }
  }

  /** How many attempts were started for {@code link} (for tests). */
  synchronized int attemptsMade(MeshLink link) {
    Attempts attempts = checked.get(link);
    return attempts == null ? 0 : attempts.made;
  }

  private void attempt(MeshLink link) {
    InetSocketAddress target = link.peer().control();
    InetAddress any = NatPrimer.wildcard(NatPrimer.familyOf(target));
    ChannelFuture bound = new Bootstrap().group(eventLoop).channel(NioSocketChannel.class)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) CONNECT_WITHIN.toMillis())
        .handler(new ChannelInboundHandlerAdapter())
        .bind(new InetSocketAddress(any, 0));
    bound.addListener(b -> {
      if (!b.isSuccess()) {
        ended(link, false, "binding a local port failed: " + b.cause());
        return;
      }
      Channel channel = bound.channel();
      int port = ((InetSocketAddress) channel.localAddress()).getPort();
      link.prime(target.getPort(), new InetSocketAddress(ownExternalIp.get(), port), PRIME_WITHIN)
          .thenAccept(answer -> connectPrimed(link, channel, target, answer));
    });
  }

  private void connectPrimed(MeshLink link, Channel channel, InetSocketAddress target, PrimeResponse answer) {
    if (answer.getResult() != PrimeResult.PRIMED) {
      channel.close();
      ended(link, false, "the member answered the prime " + answer.getResult() + ": " + answer.getDetail());
      return;
    }
    channel.eventLoop().schedule(() -> channel.connect(target).addListener(c -> {
      channel.close();
      ended(link, c.isSuccess(), c.isSuccess() ? "" : "the primed connect failed: " + c.cause());
    }), CONNECT_AFTER.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void ended(MeshLink link, boolean connected, String why) {
    int made;
    synchronized (this) {
      Attempts attempts = checked.get(link);
      if (attempts == null) {
        return; // the link closed meanwhile
      }
      attempts.running = false;
      attempts.nextAtNanos = System.nanoTime() + RETRY_AFTER.toNanos();
      made = attempts.made;
    }
    if (connected) {
      link.primedConnectWorked();
      log.info("A primed connect to the member got through: its listeners are primed directly, not relayed."
          + " peerId={} link={} attempt={}", link.peerId(), link.path(), made);
    } else if (made >= ATTEMPTS) {
      log.info("Primed connects to the member do not get through: connects to it stay relayed. peerId={} link={}"
          + " attempts={} reason={}", link.peerId(), link.path(), made, why);
    } else {
      log.debug("A primed connect to the member did not get through. peerId={} attempt={} reason={}",
          link.peerId(), made, why);
    }
  }
}
