package io.boxer.node.membership;

import io.boxer.control.Roles;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A cluster member as this node knows it.
 *
 * @param id the seed-assigned id, >= 1; lower ids joined earlier
 * @param control the member's external control endpoint (NAT ip, external port of its control port)
 * @param role the member's role (`boxer run --role`), as the connection policy names it
 * @param relayOnly its NAT does not preserve ports: it is reached, and reaches others, only through the relay
 * @param answersRst its host answers stray SYNs with RST (Member.answers_rst): a prime toward it would be torn
 *     down, so it reaches members that need one through the relay
 * @param virtualAddress {@code control}'s ip is a virtual address the seed gave it because another member has its
 *     NAT's address (Member.virtual_address); it is relay-only too
 */
public record Peer(long id, InetSocketAddress control, String role, boolean relayOnly, boolean answersRst,
    boolean virtualAddress) {
  /** A member at its real external address. */
  public Peer(long id, InetSocketAddress control, String role, boolean relayOnly, boolean answersRst) {
    this(id, control, role, relayOnly, answersRst, false);
  }

  /** A member whose host drops stray SYNs (or sits behind a NAT). */
  public Peer(long id, InetSocketAddress control, String role, boolean relayOnly) {
    this(id, control, role, relayOnly, false);
  }

  /** A member behind a port-preserving NAT. */
  public Peer(long id, InetSocketAddress control, String role) {
    this(id, control, role, false);
  }

  /** A member with the default role. */
  public Peer(long id, InetSocketAddress control) {
    this(id, control, Roles.DEFAULT);
  }

  /** The member's external ip (or virtual one): the address applications use to reach it. */
  public InetAddress externalIp() {
    return control.getAddress();
  }
}
