package io.boxer.node.membership;

import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * A cluster member as this node knows it.
 *
 * @param id the seed-assigned id, >= 1; lower ids joined earlier
 * @param control the member's external control endpoint (NAT ip, external port of its control port)
 */
public record Peer(long id, InetSocketAddress control) {
  /** The member's external ip: the address applications use to reach it. */
  public InetAddress externalIp() {
    return control.getAddress();
  }
}
