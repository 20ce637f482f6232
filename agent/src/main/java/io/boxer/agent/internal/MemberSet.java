package io.boxer.agent.internal;

import com.google.protobuf.ByteString;
import io.boxer.proto.agent.v1.MembershipView;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Set;

/**
 * The external ips of the other cluster members, from one {@link MembershipView}. Immutable, thread-safe.
 * IPv4-mapped IPv6 entries match their IPv4 address (the JDK represents both as {@code Inet4Address}).
 */
final class MemberSet {

  static final MemberSet EMPTY = new MemberSet(Set.of(), 0);

  private final Set<InetAddress> ips;
  private final int rejected;

  private MemberSet(Set<InetAddress> ips, int rejected) {
    this.ips = ips;
    this.rejected = rejected;
  }

  /** The members of {@code view}; entries that are not 4 or 16 bytes are skipped and counted. */
  static MemberSet of(MembershipView view) {
    Set<InetAddress> ips = new HashSet<>();
    int rejected = 0;
    for (ByteString raw : view.getMemberIpsList()) {
      if (raw.size() != 4 && raw.size() != 16) {
        rejected++;
        continue;
      }
      try {
        ips.add(InetAddress.getByAddress(raw.toByteArray()));
      } catch (UnknownHostException e) {
        rejected++; // unreachable: the length was checked
      }
    }
    return new MemberSet(Set.copyOf(ips), rejected);
  }

  boolean contains(InetAddress address) {
    return ips.contains(address);
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
    return "MemberSet" + ips;
  }
}
