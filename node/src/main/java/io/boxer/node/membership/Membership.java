package io.boxer.node.membership;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member table of one node: who is in the cluster, as told by the seed. Thread-safe. Listeners get a
 * snapshot sorted by id after each change, called under this table's lock, so every listener sees the
 * snapshots in the order the changes happened (a first snapshot on registration included). Listeners must
 * therefore be quick and must not block; an exception in one is logged and does not reach the others.
 */
public final class Membership {
  private static final Logger log = LoggerFactory.getLogger(Membership.class);
  private final Object lock = new Object();
  // @GuardedBy("lock")
  private final Map<Long, Peer> byId = new TreeMap<>();
  // @GuardedBy("lock")
  private final List<Consumer<List<Peer>>> listeners = new ArrayList<>();

  /** Adds or replaces a member. */
  public void put(Peer peer) {
    synchronized (lock) {
      byId.put(peer.id(), peer);
      notifyListeners();
    }
  }

  /** Adds several members at once (the seed's welcome), notifying once. */
  public void putAll(Collection<Peer> peers) {
    synchronized (lock) {
      peers.forEach(p -> byId.put(p.id(), p));
      notifyListeners();
    }
  }

  /** Removes a member; returns it if it was present. */
  public Optional<Peer> remove(long id) {
    synchronized (lock) {
      Peer removed = byId.remove(id);
      if (removed != null) {
        notifyListeners();
      }
      return Optional.ofNullable(removed);
    }
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
      return List.copyOf(byId.values());
    }
  }

  /** Registers a listener and calls it once with the current snapshot. */
  public void addListener(Consumer<List<Peer>> listener) {
    synchronized (lock) {
      listeners.add(listener);
      call(listener, List.copyOf(byId.values()));
    }
  }

  public void removeListener(Consumer<List<Peer>> listener) {
    synchronized (lock) {
      listeners.remove(listener);
    }
  }

  // @GuardedBy("lock")
  private void notifyListeners() {
    List<Peer> snapshot = List.copyOf(byId.values());
    for (Consumer<List<Peer>> l : listeners) {
      call(l, snapshot);
    }
  }

  private static void call(Consumer<List<Peer>> listener, List<Peer> snapshot) {
    try {
      listener.accept(snapshot);
    } catch (RuntimeException e) {
      log.warn("Membership listener failed. reason={}", e.toString());
    }
  }
}
