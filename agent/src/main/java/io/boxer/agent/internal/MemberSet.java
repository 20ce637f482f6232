package io.boxer.agent.internal;

import com.google.protobuf.ByteString;
import io.boxer.proto.agent.v1.MembershipView;
import java.io.IOException;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The addresses whose connects the node handles, from one {@link MembershipView}: the external ips of the
 * other cluster members, and of members that left recently (the node fails those connects at once instead of
 * letting them hang in front of a NAT nobody primes), and which members the node suspects now (a connect to one
 * asks the node, never the warm pool: the node fails it at once). Immutable, thread-safe.
 * IPv4-mapped IPv6 entries match their IPv4 address (the JDK represents both as {@code Inet4Address}).
 */
final class MemberSet {

  static final MemberSet EMPTY = new MemberSet(Set.of(), Set.of(), 0, null);

  private final Set<InetAddress> ips;
  private final Set<InetAddress> suspected;
  private final int rejected;
  /** This node's external ip when no local interface has it (behind a NAT), else null: nothing to rewrite. */
  private final InetAddress ownNatIp;

  private MemberSet(Set<InetAddress> ips, Set<InetAddress> suspected, int rejected, InetAddress ownNatIp) {
    this.ips = ips;
    this.suspected = suspected;
    this.rejected = rejected;
    this.ownNatIp = ownNatIp;
  }

  /** The members of {@code view}; entries that are not 4 or 16 bytes are skipped and counted. */
  static MemberSet of(MembershipView view) {
    Set<InetAddress> ips = new HashSet<>();
    List<ByteString> handled = new ArrayList<>(view.getMemberIpsList());
    handled.addAll(view.getDepartedIpsList());
    int rejected = addresses(handled, ips);
    Set<InetAddress> suspected = new HashSet<>();
    rejected += addresses(view.getSuspectedIpsList(), suspected);
    suspected.retainAll(ips); // a suspicion of a non-member means nothing
    return new MemberSet(Set.copyOf(ips), Set.copyOf(suspected), rejected, ownNatIp(view.getOwnIp()));
  }

  /** Adds the well-formed addresses of {@code raw} to {@code into}; returns how many were malformed. */
  private static int addresses(List<ByteString> raw, Set<InetAddress> into) {
    int rejected = 0;
    for (ByteString bytes : raw) {
      if (bytes.size() != 4 && bytes.size() != 16) {
        rejected++;
        continue;
      }
      try {
        into.add(InetAddress.getByAddress(bytes.toByteArray()));
      } catch (UnknownHostException e) {
        rejected++; // unreachable: the length was checked
      }
    }
    return rejected;
  }

  /** The own external ip if it is well-formed and not an address of this host (looked up once per view). */
  private static InetAddress ownNatIp(ByteString raw) {
    if (raw.size() != 4 && raw.size() != 16) {
      return null;
    }
    try {
      InetAddress own = InetAddress.getByAddress(raw.toByteArray());
      return NetworkInterface.getByInetAddress(own) == null ? own : null;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Whether {@code address} is this node's own external address behind a NAT: the host cannot bind it and
   * NATs rarely hairpin, so binds go to the wildcard and connects to loopback.
   */
  boolean isOwnNatAddress(InetAddress address) {
    return address.equals(ownNatIp);
  }

  /** This node's external address behind a NAT (on no interface of the host), or null. */
  InetAddress ownNatAddress() {
    return ownNatIp;
  }

  boolean contains(InetAddress address) {
    return ips.contains(address);
  }

  /** Whether the node suspects the member at {@code address} now: its connects must ask the node. */
  boolean isSuspected(InetAddress address) {
    return suspected.contains(address);
  }

  int size() {
    return ips.size();
  }

  /** How many entries of the view were malformed and ignored. */
  int rejected() {
    return rejected;
  }

  @Override
  public String toString() {
    return "MemberSet" + ips + (suspected.isEmpty() ? "" : " suspected " + suspected)
        + (ownNatIp == null ? "" : " own " + ownNatIp.getHostAddress());
  }
}
