package io.boxer.node.membership;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member table of one node: who is in the cluster, as told by the seed (or decided by this node while the
 * seed is gone), and who left recently. Thread-safe. Listeners get a snapshot sorted by id after each change,
 * called under this table's lock, so every listener sees the snapshots in the order the changes happened (a
 * first snapshot on registration included). Listeners must therefore be quick and must not block; an
 * exception in one is logged and does not reach the others.
 *
 * <p>Departed members: the external ip of a member that left or was removed stays known for
 * {@link #DEPARTED_FOR}, unless a member at that ip joins again, so that a connect to it fails at once
 * instead of hanging in front of a NAT that nobody primes any more.
 */
public final class Membership {
  /** How long the address of a member that left is remembered. */
  public static final Duration DEPARTED_FOR = Duration.ofMinutes(5);

  private static final Logger log = LoggerFactory.getLogger(Membership.class);
  private final Object lock = new Object();
  private final LongSupplier nanoClock;
  // @GuardedBy("lock")
  private final Map<Long, Peer> byId = new TreeMap<>();
  // @GuardedBy("lock"): ip -> System.nanoTime() when it is forgotten
  private final Map<InetAddress, Long> departed = new HashMap<>();
  // @GuardedBy("lock"): ids of current members this node's failure detector suspects
  private final Set<Long> suspected = new HashSet<>();
  // @GuardedBy("lock")
  private final List<Consumer<List<Peer>>> listeners = new ArrayList<>();

  public Membership() {
    this(System::nanoTime);
  }

  Membership(LongSupplier nanoClock) {
    this.nanoClock = nanoClock;
  }

  /** Adds or replaces a member; returns whether anything changed. */
  public boolean put(Peer peer) {
    synchronized (lock) {
      departed.remove(peer.externalIp());
      if (peer.equals(byId.put(peer.id(), peer))) {
        return false;
      }
      notifyListeners();
      return true;
    }
  }

  /** Adds or replaces several members at once (a welcome), notifying once. Members not listed stay. */
  public void putAll(Collection<Peer> peers) {
    synchronized (lock) {
      peers.forEach(p -> {
        departed.remove(p.externalIp());
        byId.put(p.id(), p);
      });
      notifyListeners();
    }
  }

  /** Removes a member and remembers its address as departed; returns it if it was present. */
  public Optional<Peer> remove(long id) {
    synchronized (lock) {
      Peer removed = byId.remove(id);
      suspected.remove(id);
      if (removed != null) {
        departed.put(removed.externalIp(), nanoClock.getAsLong() + DEPARTED_FOR.toNanos());
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
      // a plain loop: every prime asks, on the mesh's event loop (a stream cost ~2 % of that thread's time)
      for (Peer peer : byId.values()) {
        if (peer.externalIp().equals(ip)) {
          return Optional.of(peer);
        }
      }
      return Optional.empty();
    }
  }

  /** Whether {@code ip} is the address of a member that departed within {@link #DEPARTED_FOR}. */
  public boolean isDeparted(InetAddress ip) {
    synchronized (lock) {
      Long until = departed.get(ip);
      return until != null && until - nanoClock.getAsLong() > 0;
    }
  }

  /** The addresses of members that departed within {@link #DEPARTED_FOR} and have not come back. */
  public Set<InetAddress> departedIps() {
    synchronized (lock) {
      long now = nanoClock.getAsLong();
      departed.values().removeIf(until -> until - now <= 0);
      return Set.copyOf(departed.keySet());
    }
  }

  /**
   * Marks a current member suspected (silent: connects to it fail at once) or no longer; notifies the listeners when
   * that changes, so that the agents' views say it (docs/warm-connects.md). Returns whether anything changed.
   */
  public boolean setSuspected(long id, boolean isSuspected) {
    synchronized (lock) {
      boolean changed = isSuspected ? byId.containsKey(id) && suspected.add(id) : suspected.remove(id);
      if (changed) {
        notifyListeners();
      }
      return changed;
    }
  }

  /** Forgets every suspicion (the node rejoined and judges its members anew), notifying if there was one. */
  public void clearSuspected() {
    synchronized (lock) {
      if (!suspected.isEmpty()) {
        suspected.clear();
        notifyListeners();
      }
    }
  }

  /** The external ips of the members suspected now. */
  public Set<InetAddress> suspectedIps() {
    synchronized (lock) {
      Set<InetAddress> ips = new HashSet<>();
      suspected.forEach(id -> ips.add(byId.get(id).externalIp()));
      return Set.copyOf(ips);
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
