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

  /** Told each answer and how long it took (the node's metrics). */
  @FunctionalInterface
  public interface Answered {
    void answered(PrimeResult result, long nanos);
  }

  /** A primer that never considers a member suspected. */
  public AgentPrimer(Membership membership, MeshLinks links, Supplier<Peer> self, Duration maxTimeout) {
    this(membership, links, self, maxTimeout, id -> false, (result, nanos) -> { });
  }

  /**
   * @param suspected whether a member is suspected down (connects to it fail at once)
   * @param answered told every answer, on the thread that completes it
   */
  public AgentPrimer(Membership membership, MeshLinks links, Supplier<Peer> self, Duration maxTimeout,
      LongPredicate suspected, Answered answered) {
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
        answered.answered(reply.getResult(), System.nanoTime() - start);
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
    Duration timeout = Duration.ofMillis(Math.min(request.getTimeoutMs(), maxTimeout.toMillis()));
    return link.get()
        .prime(remote.getPort(), new InetSocketAddress(ownIp, localPort), timeout)
        .thenApply(AgentPrimer::toReply);
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
