package io.boxer.node.mesh;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The established control links of this node, by peer id. Thread-safe. */
public final class MeshLinks {
  private final Map<Long, MeshLink> byPeer = new ConcurrentHashMap<>();

  /** Registers a link; an older link to the same peer is closed (the peer re-dialed). */
  void put(MeshLink link) {
    MeshLink previous = byPeer.put(link.peerId(), link);
    if (previous != null && previous != link) {
      previous.close();
    }
  }

  /** Removes {@code link} if it is still the registered one for its peer. */
  void remove(MeshLink link) {
    byPeer.remove(link.peerId(), link);
  }

  public Optional<MeshLink> get(long peerId) {
    return Optional.ofNullable(byPeer.get(peerId)).filter(MeshLink::isOpen);
  }

  public boolean isLinked(long peerId) {
    return get(peerId).isPresent();
  }

  /** Closes and forgets the link to a peer that left. */
  public void close(long peerId) {
    MeshLink link = byPeer.remove(peerId);
    if (link != null) {
      link.close();
    }
  }

  /** Closes every link (node shutdown). */
  public void closeAll() {
    byPeer.keySet().forEach(this::close);
  }
}
