package io.boxer.node.mesh;

import io.boxer.proto.mesh.v1.Goodbye;
import java.util.List;
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
      previous.close(null);
    }
  }

  /** Removes {@code link} if it is still the registered one for its peer. */
  public void remove(MeshLink link) {
    byPeer.remove(link.peerId(), link);
  }

  public Optional<MeshLink> get(long peerId) {
    return Optional.ofNullable(byPeer.get(peerId)).filter(MeshLink::isOpen);
  }

  public boolean isLinked(long peerId) {
    return get(peerId).isPresent();
  }

  /** The open links. */
  public List<MeshLink> open() {
    return byPeer.values().stream().filter(MeshLink::isOpen).toList();
  }

  /** Closes and forgets the link to a peer, saying why first ({@code reason} null: say nothing). */
  public void close(long peerId, Goodbye.Reason reason) {
    MeshLink link = byPeer.remove(peerId);
    if (link != null) {
      link.close(reason);
    }
  }

  /** Closes every link (node shutdown), saying goodbye. */
  public void closeAll() {
    byPeer.keySet().forEach(id -> close(id, Goodbye.Reason.LEAVING));
  }
}
