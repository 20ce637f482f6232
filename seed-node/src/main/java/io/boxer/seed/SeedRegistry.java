package io.boxer.seed;

import io.boxer.node.Endpoints;
import io.boxer.proto.seed.v1.MemberJoined;
import io.boxer.proto.seed.v1.MemberLeft;
import io.boxer.proto.seed.v1.PeerPrimed;
import io.boxer.proto.seed.v1.PrimeRequested;
import io.boxer.proto.seed.v1.SeedEvent;
import io.boxer.proto.seed.v1.Welcome;
import io.boxer.proto.v1.Member;
import io.grpc.Status;
import io.grpc.StatusException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's member table: assigns ids, refuses a second member behind an external address that is already
 * a member, and fans events out to every member's Join stream. All methods are serialized on this object,
 * so every member sees events in the same order.
 */
final class SeedRegistry {
  private static final Logger log = LoggerFactory.getLogger(SeedRegistry.class);

  private record Registration(Member member, Consumer<SeedEvent> stream) {
    InetAddress externalIp() {
      return Endpoints.fromProto(member.getControl()).getAddress();
    }
  }

  // @GuardedBy("this")
  private final Map<Long, Registration> members = new TreeMap<>();
  // @GuardedBy("this")
  private long nextId = 1;

  /**
   * Admits a node observed at {@code observed}: sends it the welcome, then tells every other member.
   *
   * @param stream where this member's events go; called under this registry's lock, must not block
   * @return the new member's id
   * @throws StatusException ALREADY_EXISTS if a member already has the observed external ip
   */
  synchronized long join(InetSocketAddress observed, Consumer<SeedEvent> stream) throws StatusException {
    for (Registration r : members.values()) {
      if (r.externalIp().equals(observed.getAddress())) {
        throw Status.ALREADY_EXISTS
            .withDescription("external address " + observed.getAddress().getHostAddress()
                + " is already member " + r.member().getId()
                + "; Boxer supports one node per external address (NAT)")
            .asException();
      }
    }
    long id = nextId++;
    Member member = Member.newBuilder().setId(id).setControl(Endpoints.toProto(observed)).build();
    members.put(id, new Registration(member, stream));
    Welcome.Builder welcome = Welcome.newBuilder().setNodeId(id).setObserved(member.getControl());
    members.values().forEach(r -> welcome.addMembers(r.member()));
    stream.accept(SeedEvent.newBuilder().setWelcome(welcome).build());
    broadcast(id, SeedEvent.newBuilder().setJoined(MemberJoined.newBuilder().setMember(member)).build());
    log.info("Member joined. peerId={} addr={} members={}", id, observed, members.size());
    return id;
  }

  /** Removes a member whose Join stream ended and tells the others. No-op for an unknown id. */
  synchronized void leave(long id) {
    if (members.remove(id) != null) {
      broadcast(id, SeedEvent.newBuilder().setLeft(MemberLeft.newBuilder().setId(id)).build());
      log.info("Member left. peerId={} members={}", id, members.size());
    }
  }

  /**
   * Forwards "{@code from} primed toward you" to {@code to}.
   *
   * @param callerIp the address the report came from; must be {@code from}'s external ip
   * @throws StatusException NOT_FOUND for unknown ids, FAILED_PRECONDITION if the caller is not {@code from}
   */
  synchronized void forwardPrimed(long from, long to, InetAddress callerIp) throws StatusException {
    forward(from, to, callerIp, SeedEvent.newBuilder().setPrimed(PeerPrimed.newBuilder().setPeerId(from)).build());
  }

  /** Forwards "{@code from} asks you to prime toward it" to {@code to}; checks as {@link #forwardPrimed}. */
  synchronized void forwardPrimeRequest(long from, long to, InetAddress callerIp) throws StatusException {
    forward(from, to, callerIp,
        SeedEvent.newBuilder().setPrimeRequested(PrimeRequested.newBuilder().setPeerId(from)).build());
  }

  private void forward(long from, long to, InetAddress callerIp, SeedEvent event) throws StatusException {
    Registration sender = members.get(from);
    Registration receiver = members.get(to);
    if (sender == null || receiver == null) {
      throw Status.NOT_FOUND.withDescription("unknown member " + (sender == null ? from : to)).asException();
    }
    if (callerIp == null || !sender.externalIp().equals(callerIp)) {
      throw Status.FAILED_PRECONDITION
          .withDescription("member " + from + " is at " + sender.externalIp().getHostAddress()
              + ", the request came from " + callerIp)
          .asException();
    }
    receiver.stream().accept(event);
  }

  synchronized int size() {
    return members.size();
  }

  private void broadcast(long except, SeedEvent event) {
    members.forEach((id, r) -> {
      if (id != except) {
        r.stream().accept(event);
      }
    });
  }
}
