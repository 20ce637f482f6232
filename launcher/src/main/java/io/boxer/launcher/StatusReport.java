package io.boxer.launcher;

import com.google.protobuf.ByteString;
import io.boxer.proto.agent.v1.NodeStatus;
import io.boxer.proto.agent.v1.PeerStatus;
import io.boxer.proto.seed.v1.ClusterStatus;
import io.boxer.proto.seed.v1.MemberStatus;
import io.boxer.proto.v1.LinkPath;
import io.boxer.proto.v1.LinkStatus;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * What {@code boxer status} shows, from either view: a node's ({@link #fromNode}: itself, and its link to each
 * other member) or the seed's ({@link #fromSeed}: every member, with the links it last reported). One shape
 * for both, so the table and the JSON document are written once.
 *
 * @param view "node" or "seed"
 * @param self the node asked (node view), null in the seed view
 * @param nowMillis the answering side's wall clock, Unix milliseconds: ages are relative to it
 */
record StatusReport(String view, Member self, long nowMillis, List<Member> members) {

  /**
   * One member.
   *
   * @param lastSeenMillisAgo since the asked side last heard from it; null when it cannot (no link)
   * @param reportAgeMillis seed view: since its newest link report; null when it has sent none (or node view)
   * @param links node view: the asked node's link to this member; seed view: this member's reported links
   * @param answersRst its host answers stray SYNs with RST (Member.answers_rst; docs/relay.md)
   * @param virtualAddress {@code address} is a virtual one the seed gave it (Member.virtual_address)
   */
  record Member(long id, String role, String address, int controlPort, long joinedMillis, Long lastSeenMillisAgo,
      Long reportAgeMillis, List<Link> links, boolean answersRst, boolean virtualAddress) {
    /** A member at its real address whose host drops stray SYNs (or sits behind a NAT). */
    Member(long id, String role, String address, int controlPort, long joinedMillis, Long lastSeenMillisAgo,
        Long reportAgeMillis, List<Link> links) {
      this(id, role, address, controlPort, joinedMillis, lastSeenMillisAgo, reportAgeMillis, links, false, false);
    }
  }

  /**
   * One control link, as the member at its near end sees it.
   *
   * @param peer the member at the far end
   * @param rttMicros the last round trip measured, 0 if none
   * @param srttMicros the smoothed round trip, 0 if none
   * @param path "direct" (a relay may come later)
   * @param served prime requests of {@code peer} that the near end answered PRIMED; refused and failed likewise
   */
  record Link(long peer, boolean up, long rttMicros, long srttMicros, String path, long served, long refused,
      long failed) {}

  static StatusReport fromNode(NodeStatus status) {
    io.boxer.proto.v1.Member self = status.getSelf();
    Member me = new Member(self.getId(), self.getRole(), address(self), self.getControl().getPort(),
        status.getJoinedUnixMs(), null, null, List.of(), self.getAnswersRst(), self.getVirtualAddress());
    return new StatusReport("node", me, status.getNowUnixMs(),
        status.getMembersList().stream().map(StatusReport::fromPeer).toList());
  }

  static StatusReport fromSeed(ClusterStatus status) {
    return new StatusReport("seed", null, status.getNowUnixMs(),
        status.getMembersList().stream().map(StatusReport::fromMember).toList());
  }

  private static Member fromPeer(PeerStatus peer) {
    io.boxer.proto.v1.Member m = peer.getMember();
    return new Member(m.getId(), m.getRole(), address(m), m.getControl().getPort(), peer.getJoinedUnixMs(),
        peer.hasSilentMs() ? peer.getSilentMs() : null, null, List.of(link(peer.getLink())), m.getAnswersRst(),
        m.getVirtualAddress());
  }

  private static Member fromMember(MemberStatus member) {
    io.boxer.proto.v1.Member m = member.getMember();
    return new Member(m.getId(), m.getRole(), address(m), m.getControl().getPort(), member.getJoinedUnixMs(),
        member.getSilentMs(), member.getReported() ? member.getReportAgeMs() : null,
        member.getLinksList().stream().map(StatusReport::link).toList(), m.getAnswersRst(), m.getVirtualAddress());
  }

  private static Link link(LinkStatus link) {
    return new Link(link.getPeerId(), link.getUp(), Integer.toUnsignedLong(link.getRttUs()),
        Integer.toUnsignedLong(link.getSrttUs()), path(link.getPath()), link.getPrimesServed(),
        link.getPrimesRefused(), link.getPrimesFailed());
  }

  private static String path(LinkPath path) {
    return path == LinkPath.UNRECOGNIZED || path == LinkPath.LINK_PATH_UNSPECIFIED ? "unknown"
        : path.name().toLowerCase(Locale.ROOT);
  }

  private static String address(io.boxer.proto.v1.Member member) {
    ByteString ip = member.getControl().getIp();
    try {
      return InetAddress.getByAddress(ip.toByteArray()).getHostAddress();
    } catch (UnknownHostException e) { // not 4 or 16 bytes: show what came rather than fail the whole report
      return "invalid(" + ip.size() + " bytes)";
    }
  }
}
