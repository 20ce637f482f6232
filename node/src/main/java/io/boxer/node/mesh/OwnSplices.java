package io.boxer.node.mesh;

import io.boxer.proto.v1.LinkPath;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's own splices into its control server, each carrying one member's link: the local end of a relayed
 * session ({@link io.boxer.node.relay.Relays}) or of a simultaneous open ({@link SimultaneousOpener}). The mesh
 * service asks it which member and path a loopback connection to the control port carries: a member's link is
 * accepted from loopback only through one of these. Thread-safe.
 */
public final class OwnSplices implements MeshService.SplicedFrom {
  private record Carried(long peerId, LinkPath path) {}

  // local port of the splice's connection to the control server -> what it carries
  private final Map<Integer, Carried> byLocalPort = new ConcurrentHashMap<>();

  /**
   * Registers {@code toControlServer}, the splice's connected end toward this node's control server, as carrying
   * member {@code peerId}'s link by {@code path}, until it closes.
   */
  public void add(Channel toControlServer, long peerId, LinkPath path) {
    int localPort = ((InetSocketAddress) toControlServer.localAddress()).getPort();
    Carried carried = new Carried(peerId, path);
    byLocalPort.put(localPort, carried);
    toControlServer.closeFuture().addListener(c -> byLocalPort.remove(localPort, carried));
  }

  @Override
  public LinkPath pathOf(InetSocketAddress remote, long peerId) {
    if (remote == null || !remote.getAddress().isLoopbackAddress()) {
      return null;
    }
    Carried carried = byLocalPort.get(remote.getPort());
    return carried != null && carried.peerId() == peerId ? carried.path() : null;
  }
}
