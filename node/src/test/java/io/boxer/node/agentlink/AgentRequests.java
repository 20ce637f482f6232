package io.boxer.node.agentlink;

import io.boxer.control.Endpoints;
import io.boxer.node.membership.Peer;
import io.boxer.proto.agent.v1.AgentRequest;
import io.boxer.proto.agent.v1.Prime;
import io.boxer.proto.agent.v1.Watch;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;

/** Agent requests and members for the endpoint tests. */
final class AgentRequests {
  static final Peer SELF = new Peer(1, new InetSocketAddress("198.18.0.101", 40000));
  /** An address that is no member: a prime to it is answered NOT_MEMBER at once, without a mesh. */
  static final String NON_MEMBER_IP = "198.18.0.200";

  private AgentRequests() {}

  static AgentRequest watch() {
    return AgentRequest.newBuilder().setWatch(Watch.getDefaultInstance()).build();
  }

  static AgentRequest prime(String ip, int port, int localPort) {
    try {
      return AgentRequest.newBuilder().setPrime(Prime.newBuilder()
          .setLocalPort(localPort)
          .setRemote(Endpoints.toProto(new InetSocketAddress(InetAddress.getByName(ip), port)))
          .setTimeoutMs(1000)).build();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(ip, e);
    }
  }

  static AgentRequest primeToNonMember() {
    return prime(NON_MEMBER_IP, 80, 40000);
  }

  /** A member with id {@code id}, at an address derived from it (10.x.y.z). */
  static Peer member(int id) {
    byte[] ip = {10, (byte) (id >> 16), (byte) (id >> 8), (byte) id};
    try {
      return new Peer(id, new InetSocketAddress(InetAddress.getByAddress(ip), 40000));
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
