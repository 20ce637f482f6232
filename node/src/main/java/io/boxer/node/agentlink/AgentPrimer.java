package io.boxer.node.agentlink;

import io.boxer.control.Endpoints;
import io.boxer.node.membership.Membership;
import io.boxer.node.membership.Peer;
import io.boxer.node.mesh.MeshLink;
import io.boxer.node.mesh.MeshLinks;
import io.boxer.proto.agent.v1.Prime;
import io.boxer.proto.agent.v1.PrimeReply;
import io.boxer.proto.mesh.v1.PrimeResponse;
import io.boxer.proto.v1.PrimeResult;
import io.boxer.node.relay.Relays;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongPredicate;
import java.util.function.Supplier;

/**
 * Turns an agent's prime request into a mesh prime request to the member that owns the destination address.
 * The client's external endpoint is this node's external ip with the client socket's local port: the NAT
 * profiles Boxer supports preserve source ports. Thread-safe.
 */
public final class AgentPrimer {
  private final Membership membership;
  private final MeshLinks links;
  private final Supplier<Peer> self;
  private final Duration maxTimeout;
  private final LongPredicate suspected;
  private final Answered answered;
  private final RelayRoute relay;

  /** Opens a relayed connection to a member's port (the node's {@code Relays}). */
  @FunctionalInterface
  public interface RelayRoute {
    /**
     * Completes with the loopback endpoint to connect to, or exceptionally: with {@link Relays.RefusedException}
     * if the member refused, else an exception saying which step failed.
     */
    CompletableFuture<InetSocketAddress> connect(Peer peer, int port, Duration timeout);
  }

  /** Told each answer and how long it took (the node's metrics). */
  @FunctionalInterface
  public interface Answered {
    /** @param pool whether the agent asked for it for its warm port pool ({@code Prime.pool}), not for a connect */
    void answered(PrimeResult result, long nanos, boolean pool);
  }

  /** A primer that never considers a member suspected. */
  public AgentPrimer(Membership membership, MeshLinks links, Supplier<Peer> self, Duration maxTimeout) {
    this(membership, links, self, maxTimeout, id -> false, (result, nanos, pool) -> { }, (peer, port, timeout) ->
        CompletableFuture.failedFuture(new java.io.IOException("this node has no relay")));
  }

  /**
   * @param suspected whether a member is suspected down (connects to it fail at once)
   * @param answered told every answer, on the thread that completes it
   * @param relay opens relayed connections, for members this node has no direct path to; they may take up to
   *     {@link Relays#MAX_WAIT} rather than {@code maxTimeout}, within the agent's timeout
   */
  public AgentPrimer(Membership membership, MeshLinks links, Supplier<Peer> self, Duration maxTimeout,
      LongPredicate suspected, Answered answered, RelayRoute relay) {
    this.relay = relay;
    this.membership = membership;
    this.links = links;
    this.self = self;
    this.maxTimeout = maxTimeout;
    this.suspected = suspected;
    this.answered = answered;
  }

  /** Answers one agent request; the future never completes exceptionally. */
  public CompletableFuture<PrimeReply> prime(Prime request) {
    long start = System.nanoTime();
    return answer(request).whenComplete((reply, error) -> {
      if (reply != null) {
        answered.answered(reply.getResult(), System.nanoTime() - start, request.getPool());
      }
    });
  }

  private CompletableFuture<PrimeReply> answer(Prime request) {
    int localPort;
    InetSocketAddress remote;
    try {
      localPort = Endpoints.port("prime.local_port", request.getLocalPort());
      remote = Endpoints.fromProto(request.getRemote());
      if (request.getTimeoutMs() < 1) {
        throw new IllegalArgumentException("prime.timeout_ms : " + request.getTimeoutMs() + " (expected: >= 1)");
      }
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(reply(PrimeResult.FAILED, "malformed prime request: " + e.getMessage()));
    }
    InetAddress ownIp = self.get().externalIp();
    Optional<Peer> target = membership.byExternalIp(remote.getAddress()).filter(p -> !p.externalIp().equals(ownIp));
    if (target.isEmpty()) {
      if (membership.isDeparted(remote.getAddress())) {
        // nobody primes that NAT any more: without this answer the connect would hang until its timeout
        return CompletableFuture.completedFuture(reply(PrimeResult.FAILED,
            remote.getAddress().getHostAddress() + " left the cluster"));
      }
      return CompletableFuture.completedFuture(
          reply(PrimeResult.NOT_MEMBER, remote.getAddress().getHostAddress() + " is not another member"));
    }
    if (suspected.test(target.get().id())) {
      return CompletableFuture.completedFuture(reply(PrimeResult.FAILED,
          "member " + target.get().id() + " is not responding (suspected down)"));
    }
    Optional<MeshLink> link = links.get(target.get().id());
    if (link.isEmpty()) {
      return CompletableFuture.completedFuture(
          reply(PrimeResult.FAILED, "no control link to member " + target.get().id() + " yet"));
    }
    if (needsRelay(link.get().primedConnectsWork(), target.get(), self.get())) {
      // a relayed connect waits for two TCP connects to the relay, not a mesh round trip: it gets longer
      Duration relayTimeout = Duration.ofMillis(Math.min(request.getTimeoutMs(), Relays.MAX_WAIT.toMillis()));
      return relay.connect(target.get(), remote.getPort(), relayTimeout).handle((endpoint, error) -> {
        if (error == null) {
          return PrimeReply.newBuilder().setResult(PrimeResult.USE_RELAY)
              .setRelay(Endpoints.toProto(endpoint)).build();
        }
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null
            ? error.getCause() : error;
        return cause instanceof Relays.RefusedException ? reply(PrimeResult.REFUSED, cause.getMessage())
            : reply(PrimeResult.FAILED, "relay to member " + target.get().id() + ": " + cause.getMessage());
      });
    }
    Duration timeout = Duration.ofMillis(Math.min(request.getTimeoutMs(), maxTimeout.toMillis()));
    return link.get()
        .prime(remote.getPort(), new InetSocketAddress(ownIp, localPort), timeout)
        .thenApply(AgentPrimer::toReply);
  }

  /**
   * Whether an application connection to {@code target} must go through the relay: there is no primed path to it
   * (no primed connect to it has got through: its control link could not be dialed directly, and
   * {@code PrimedPathCheck} has not found one since; or one side's NAT does not preserve ports), or this host
   * answers stray SYNs with RST and the target needs a prime (its host does not answer them: it sits behind a NAT
   * or a firewall that drops), so the target's priming SYN would draw this host's RST and that RST would tear down
   * the state it just made. A target that answers RSTs itself needs no prime; it is connected to directly.
   */
  static boolean needsRelay(boolean primedConnectsWork, Peer target, Peer self) {
    return !primedConnectsWork || target.relayOnly()
        || self.relayOnly()
        || (self.answersRst() && !target.answersRst());
  }

  private static PrimeReply toReply(PrimeResponse response) {
    return reply(response.getResult(), response.getDetail());
  }

  static PrimeReply failed(String detail) {
    return reply(PrimeResult.FAILED, detail);
  }

  private static PrimeReply reply(PrimeResult result, String detail) {
    return PrimeReply.newBuilder().setResult(result).setDetail(detail).build();
  }
}
