package io.boxer.node.membership;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The member table of one node: who is in the cluster, as told by the seed. Thread-safe; listeners are
 * called after each change on the thread that made it, with a snapshot sorted by id.
 */
public final class Membership {
  private final Object lock = new Object();
  // @GuardedBy("lock")
  private final Map<Long, Peer> byId = new TreeMap<>();
  private final List<Consumer<List<Peer>>> listeners = new CopyOnWriteArrayList<>();

  /** Adds or replaces a member. */
  public void put(Peer peer) {
    List<Peer> snapshot;
    synchronized (lock) {
      byId.put(peer.id(), peer);
      snapshot = List.copyOf(byId.values());
    }
    notifyListeners(snapshot);
  }

  /** Adds several members at once (the seed's welcome), notifying once. */
  public void putAll(Collection<Peer> peers) {
    List<Peer> snapshot;
    synchronized (lock) {
      peers.forEach(p -> byId.put(p.id(), p));
      snapshot = List.copyOf(byId.values());
    }
    notifyListeners(snapshot);
  }

  /** Removes a member; returns it if it was present. */
  public Optional<Peer> remove(long id) {
    Peer removed;
    List<Peer> snapshot;
    synchronized (lock) {
      removed = byId.remove(id);
      snapshot = List.copyOf(byId.values());
    }
    if (removed != null) {
      notifyListeners(snapshot);
    }
    return Optional.ofNullable(removed);
  }

  public Optional<Peer> get(long id) {
    synchronized (lock) {
      return Optional.ofNullable(byId.get(id));
    }
  }

  /** The member whose external ip is {@code ip}; the seed guarantees at most one. */
  public Optional<Peer> byExternalIp(InetAddress ip) {
    synchronized (lock) {
      return byId.values().stream().filter(p -> p.externalIp().equals(ip)).findFirst();
    }
  }

  /** All members sorted by id. */
  public List<Peer> snapshot() {
    synchronized (lock) {
      return new ArrayList<>(byId.values());
    }
  }

  /** Registers a listener and calls it once with the current snapshot. */
  public void addListener(Consumer<List<Peer>> listener) {
    listeners.add(listener);
    listener.accept(snapshot());
  }

  public void removeListener(Consumer<List<Peer>> listener) {
    listeners.remove(listener);
  }

  private void notifyListeners(List<Peer> snapshot) {
    for (Consumer<List<Peer>> l : listeners) {
      l.accept(snapshot);
    }
  }
}
