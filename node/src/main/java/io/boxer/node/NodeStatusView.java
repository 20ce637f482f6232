package io.boxer.node;

import io.boxer.control.Endpoints;
import io.boxer.node.membership.Peer;
import io.boxer.node.mesh.MeshLink;
import io.boxer.node.mesh.MeshLinks;
import io.boxer.node.priming.PrimeHandler;
import io.boxer.proto.agent.v1.NodeStatus;
import io.boxer.proto.agent.v1.PeerStatus;
import io.boxer.proto.v1.LinkPath;
import io.boxer.proto.v1.LinkStatus;
import io.boxer.proto.v1.Member;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * This node's view of the cluster as data: its control link to each member (up, RTT, path, the primes it
 * served that member), for {@code boxer status} on the agent endpoint and for the link reports to the seed.
 * Reads the live tables; the result is a snapshot.
 */
final class NodeStatusView {
  private final MeshLinks links;
  private final PrimeHandler primes;

  NodeStatusView(MeshLinks links, PrimeHandler primes) {
    this.links = links;
    this.primes = primes;
  }

  /** The node's answer to a status request. */
  NodeStatus status(Peer self, List<Peer> members, long nowNanos, long nowMillis) {
    NodeStatus.Builder status = NodeStatus.newBuilder()
        .setSelf(member(self))
        .setJoinedUnixMs(joinedUnixMillis(self.id()))
        .setNowUnixMs(nowMillis);
    for (Peer peer : members) {
      if (peer.id() == self.id()) {
        continue;
      }
      Optional<MeshLink> link = links.get(peer.id());
      PeerStatus.Builder entry = PeerStatus.newBuilder()
          .setMember(member(peer))
          .setJoinedUnixMs(joinedUnixMillis(peer.id()))
          .setLink(link(peer.id(), link));
      link.ifPresent(l -> entry.setSilentMs(Math.max(0, TimeUnit.NANOSECONDS.toMillis(nowNanos - l.lastHeardNanos()))));
      status.addMembers(entry);
    }
    return status.build();
  }

  /** This node's links to every other member, sorted by id, as reported to the seed. */
  List<LinkStatus> links(long selfId, List<Peer> members) {
    return members.stream().filter(p -> p.id() != selfId).map(p -> link(p.id(), links.get(p.id()))).toList();
  }

  private LinkStatus link(long peerId, Optional<MeshLink> link) {
    PrimeHandler.PeerPrimes served = primes.primesOf(peerId);
    return LinkStatus.newBuilder()
        .setPeerId(peerId)
        .setUp(link.isPresent())
        .setRttUs((int) Math.min(Integer.MAX_VALUE, link.map(MeshLink::rttMicros).orElse(0L)))
        .setSrttUs((int) Math.min(Integer.MAX_VALUE, link.map(MeshLink::smoothedRttMicros).orElse(0L)))
        .setPath(link.map(MeshLink::path).orElse(LinkPath.LINK_PATH_UNSPECIFIED))
        .setPrimesServed(served.served())
        .setPrimesRefused(served.refused())
        .setPrimesFailed(served.failed())
        .build();
  }

  private static Member member(Peer peer) {
    return Member.newBuilder().setId(peer.id()).setControl(Endpoints.toProto(peer.control())).setRole(peer.role())
        .setRelayOnly(peer.relayOnly()).setAnswersRst(peer.answersRst()).setVirtualAddress(peer.virtualAddress()).build();
  }

  /** When a member first joined: its id is the seed's wall-clock milliseconds at assignment times 1000 plus n. */
  static long joinedUnixMillis(long id) {
    return id / 1000;
  }
}
