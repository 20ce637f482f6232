package io.boxer.agent.internal;

import io.boxer.proto.v1.PrimeResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The warm port pool (docs/warm-connects.md): per member endpoint (ip, port) that a connect reached through a
 * direct prime, a few local ports reserved by this JVM (bound, never connected) that the remote node has already
 * primed toward, so that a later connect to that endpoint binds one of them and connects at once, with no prime.
 *
 * <p>A pool is created by {@link #primed} (a cold connect's PRIMED answer) with a target of one port; a connect
 * that finds it empty raises the target by one (up to {@link WarmSettings#portsPerEndpoint()}), and a pool not
 * used for {@link #IDLE_NANOS} lowers it by one, until a pool whose target reaches 0 is dropped. {@link #tick},
 * on one agent thread, does the work: it reserves and primes ports up to the target, primes ready ports again
 * every refresh period (before the remote NAT forgets them), and closes the reservations of ports beyond the
 * target, of expired ports and of dropped pools. A closed reservation is never primed again, so its remote NAT
 * state expires by itself. Any answer to a pool prime but PRIMED (the port no longer listens, the member left or
 * is reached through the relay now, the node failed) drops the whole pool; the next cold connect starts it again.
 *
 * <p>Bounds: {@link WarmSettings#portsPerEndpoint()} ports per endpoint, {@value #MAX_PER_MEMBER} per member ip,
 * {@value #MAX_PER_JVM} in this JVM (each one file descriptor), as many pools as that, and
 * {@value #MAX_PRIMES_IN_FLIGHT} pool primes unanswered at once (out of the prime channel's 64, the rest stay for
 * connects).
 *
 * <p>Thread-safe: {@link #take} on application threads, {@link #primed} on the threads that prime connects, the
 * prime answers on the prime channel's reader thread, {@link #tick} on the pool's own thread; all state is guarded
 * by this object's lock, which is never held across a prime or a bind.
 */
final class WarmPorts {

  static final int MAX_PER_MEMBER = 16;
  static final int MAX_PER_JVM = 64;
  static final int MAX_PRIMES_IN_FLIGHT = 8;
  /** A pool unused this long shrinks by one port. */
  static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(60);
  /** The timeout sent with a pool prime. */
  static final int PRIME_TIMEOUT_MILLIS = 5000;
  /** A pool prime unanswered this long is given up (the channel answers or fails long before). */
  static final long STUCK_NANOS = TimeUnit.MILLISECONDS.toNanos(PRIME_TIMEOUT_MILLIS + 1000);

  /** A local port held for a later connect: a socket bound to it, not connected. */
  interface Reservation {
    int port();

    /** Releases the port. Idempotent, never throws. */
    void close();
  }

  /** Reserves a fresh ephemeral port on the wildcard address of {@code remote}'s family. */
  @FunctionalInterface
  interface Reserver {
    Reservation reserve(InetAddress remote) throws IOException;
  }

  /**
   * Asks the node to prime {@code remote:port} toward {@code localPort} for the pool, without waiting: the future
   * completes (on any thread) with the answer, or exceptionally when there is none.
   */
  @FunctionalInterface
  interface Primer {
    CompletableFuture<PrimeResult> primeForPool(int localPort, InetAddress remote, int port, int timeoutMillis);
  }

  private enum State {
    /** Reserved, its first prime unanswered: not usable yet. */
    PRIMING,
    READY,
    /** Ready and primed before, a refresh unanswered: not handed out until it is answered. */
    REFRESHING
  }

  private static final class Entry {
    final Reservation reservation;
    State state = State.PRIMING;
    long primedAt; // when the last PRIMED prime was sent
    long sentAt; // when the unanswered prime was sent
    boolean awaiting; // a prime of it is unanswered (counted in inFlight)

    Entry(Reservation reservation) {
      this.reservation = reservation;
    }
  }

  private static final class Pool {
    final InetSocketAddress endpoint;
    final List<Entry> entries = new ArrayList<>(); // oldest first
    int target = 1;
    long lastUsed;

    Pool(InetSocketAddress endpoint, long now) {
      this.endpoint = endpoint;
      this.lastUsed = now;
    }
  }

  /** A prime to send once the lock is released. */
  private record Send(Pool pool, Entry entry) {}

  private final WarmSettings settings;
  private final long refreshNanos;
  private final Reserver reserver;
  private final Primer primer;
  private final Predicate<InetAddress> isMember;
  private final Runnable wake;
  // @GuardedBy("this")
  private final Map<InetSocketAddress, Pool> pools = new LinkedHashMap<>();
  // @GuardedBy("this"): reservations held, in every pool and state
  private int reserved;
  // @GuardedBy("this")
  private int inFlight;

  /**
   * @param isMember whether an ip is a member's now (pools of others are dropped)
   * @param wake asks for a {@link #tick} soon (a port was taken, a pool was made); must not block
   */
  WarmPorts(WarmSettings settings, Reserver reserver, Primer primer, Predicate<InetAddress> isMember, Runnable wake) {
    if (!settings.enabled()) {
      throw new IllegalArgumentException("warm ports : " + settings.portsPerEndpoint() + " (expected: >= 1)");
    }
    this.settings = settings;
    this.refreshNanos = TimeUnit.MILLISECONDS.toNanos(settings.refreshMillis());
    this.reserver = reserver;
    this.primer = primer;
    this.isMember = isMember;
    this.wake = wake;
  }

  /**
   * Takes a primed port for a connect to {@code ip:port}, or null when none is ready (the connect then primes as
   * it would without the pool). The port is the caller's alone: its reservation is out of the pool, and the caller
   * closes it and binds its own socket to the port.
   */
  Reservation take(InetAddress ip, int port, long now) {
    Reservation taken = null;
    synchronized (this) {
      Pool pool = pools.get(new InetSocketAddress(ip, port));
      if (pool == null) {
        return null;
      }
      pool.lastUsed = now;
      for (Iterator<Entry> it = pool.entries.iterator(); it.hasNext(); ) {
        Entry entry = it.next();
        if (entry.state == State.READY && now - entry.primedAt < 2 * refreshNanos) {
          it.remove();
          reserved--;
          taken = entry.reservation;
          break;
        }
      }
      if (taken == null) {
        pool.target = Math.min(settings.portsPerEndpoint(), pool.target + 1); // it ran empty: grow
      }
    }
    wake.run(); // refill, or fill the grown pool
    return taken;
  }

  /** A connect to {@code ip:port} was primed directly (PRIMED): that endpoint gets a pool, if it has none. */
  void primed(InetAddress ip, int port, long now) {
    InetSocketAddress endpoint = new InetSocketAddress(ip, port);
    synchronized (this) {
      Pool pool = pools.get(endpoint);
      if (pool != null) {
        pool.lastUsed = now;
        return;
      }
      if (pools.size() >= MAX_PER_JVM) {
        return;
      }
      pools.put(endpoint, new Pool(endpoint, now));
    }
    wake.run();
  }

  /** The pool's periodic work (see the class comment), at {@code now} ({@link System#nanoTime()}). */
  void tick(long now) {
    List<Reservation> toClose = new ArrayList<>();
    List<Send> refreshes = new ArrayList<>();
    List<Pool> toFill = new ArrayList<>();
    synchronized (this) {
      for (Iterator<Pool> it = pools.values().iterator(); it.hasNext(); ) {
        Pool pool = it.next();
        if (!isMember.test(pool.endpoint.getAddress()) || shrinkIdle(pool, now) || hasStuckPrime(pool, now)) {
          it.remove();
          release(pool.entries, toClose);
          continue;
        }
        expireAndTrim(pool, now, toClose);
        for (Entry entry : pool.entries) {
          if (entry.state == State.READY && now - entry.primedAt >= refreshNanos && inFlight < MAX_PRIMES_IN_FLIGHT) {
            entry.state = State.REFRESHING;
            entry.sentAt = now;
            entry.awaiting = true;
            inFlight++;
            refreshes.add(new Send(pool, entry));
          }
        }
        for (int i = pool.entries.size(); i < pool.target; i++) {
          toFill.add(pool);
        }
      }
    }
    toClose.forEach(Reservation::close);
    refreshes.forEach(send -> send(send, now));
    for (Pool pool : toFill) {
      Send send = reserveFor(pool, now);
      if (send != null) { // else a bound, or no port: the next tick tries again
        send(send, now);
      }
    }
  }

  /** Lowers the target of a pool unused for {@link #IDLE_NANOS}; true when it reaches 0 (drop the pool). */
  private static boolean shrinkIdle(Pool pool, long now) {
    if (now - pool.lastUsed < IDLE_NANOS) {
      return false;
    }
    pool.lastUsed = now; // the next step down after another idle period
    return --pool.target <= 0;
  }

  /** A prime that never got an answer: the pool is dropped rather than kept waiting. */
  private static boolean hasStuckPrime(Pool pool, long now) {
    for (Entry entry : pool.entries) {
      if (entry.state != State.READY && now - entry.sentAt >= STUCK_NANOS) {
        return true;
      }
    }
    return false;
  }

  /** Closes expired ready ports, then the oldest ports beyond the target. */
  // @GuardedBy("this")
  private void expireAndTrim(Pool pool, long now, List<Reservation> toClose) {
    for (Iterator<Entry> it = pool.entries.iterator(); it.hasNext(); ) {
      Entry entry = it.next();
      if (entry.state == State.READY && now - entry.primedAt >= 2 * refreshNanos) {
        it.remove();
        drop(entry, toClose);
      }
    }
    while (pool.entries.size() > pool.target) {
      drop(pool.entries.remove(0), toClose); // an answer for it later finds it gone
    }
  }

  /** Takes every entry of a pool that is dropped out of the counts; the caller closes them. */
  // @GuardedBy("this")
  private void release(List<Entry> entries, List<Reservation> toClose) {
    for (Entry entry : entries) {
      drop(entry, toClose);
    }
    entries.clear();
  }

  /** Takes one entry, already out of its pool's list, out of the counts; the caller closes its reservation. */
  // @GuardedBy("this")
  private void drop(Entry entry, List<Reservation> toClose) {
    reserved--;
    if (entry.awaiting) { // its answer, if one comes, finds it gone
      entry.awaiting = false;
      inFlight--;
    }
    toClose.add(entry.reservation);
  }

  /** Reserves one more port for {@code pool} within the bounds, or null. The bind happens outside the lock. */
  private Send reserveFor(Pool pool, long now) {
    synchronized (this) {
      if (pools.get(pool.endpoint) != pool || pool.entries.size() >= pool.target || reserved >= MAX_PER_JVM
          || inFlight >= MAX_PRIMES_IN_FLIGHT || reservedFor(pool.endpoint.getAddress()) >= MAX_PER_MEMBER) {
        return null;
      }
      reserved++; // held for the bind below, so that concurrent fills respect the bound
    }
    Reservation reservation;
    try {
      reservation = reserver.reserve(pool.endpoint.getAddress());
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        reserved--;
      }
      return null;
    }
    synchronized (this) {
      if (pools.get(pool.endpoint) != pool) { // dropped meanwhile
        reserved--;
        reservation.close();
        return null;
      }
      Entry entry = new Entry(reservation);
      entry.sentAt = now;
      entry.awaiting = true;
      pool.entries.add(entry);
      inFlight++;
      return new Send(pool, entry);
    }
  }

  // @GuardedBy("this")
  private int reservedFor(InetAddress ip) {
    int n = 0;
    for (Pool pool : pools.values()) {
      if (pool.endpoint.getAddress().equals(ip)) {
        n += pool.entries.size();
      }
    }
    return n;
  }

  private void send(Send send, long sentAt) {
    InetSocketAddress endpoint = send.pool().endpoint;
    CompletableFuture<PrimeResult> answer;
    try {
      answer = primer.primeForPool(send.entry().reservation.port(), endpoint.getAddress(), endpoint.getPort(),
          PRIME_TIMEOUT_MILLIS);
    } catch (RuntimeException e) {
      answer = CompletableFuture.failedFuture(e);
    }
    answer.whenComplete((result, error) -> answered(send, sentAt, error == null ? result : null));
  }

  /** A pool prime's answer (null: none came): the port is ready, or the pool is dropped. */
  private void answered(Send send, long sentAt, PrimeResult result) {
    List<Reservation> toClose = new ArrayList<>();
    synchronized (this) {
      Entry entry = send.entry();
      if (!entry.awaiting) {
        return; // dropped or trimmed meanwhile: its reservation is closed already
      }
      entry.awaiting = false;
      inFlight--;
      Pool pool = send.pool();
      if (result == PrimeResult.PRIMED) {
        entry.state = State.READY;
        entry.primedAt = sentAt;
        return;
      }
      pools.remove(pool.endpoint);
      release(pool.entries, toClose);
    }
    toClose.forEach(Reservation::close);
  }

  /** Closes every reservation and forgets every pool (the agent's end; tests). */
  void close() {
    List<Reservation> toClose = new ArrayList<>();
    synchronized (this) {
      for (Pool pool : pools.values()) {
        release(pool.entries, toClose);
      }
      pools.clear();
    }
    toClose.forEach(Reservation::close);
  }

  /** Reservations held now, in every pool and state. */
  synchronized int reserved() {
    return reserved;
  }

  /** Ports of {@code ip:port} ready to be taken at {@code now}. */
  synchronized int ready(InetAddress ip, int port, long now) {
    Pool pool = pools.get(new InetSocketAddress(ip, port));
    if (pool == null) {
      return 0;
    }
    int n = 0;
    for (Entry entry : pool.entries) {
      if (entry.state == State.READY && now - entry.primedAt < 2 * refreshNanos) {
        n++;
      }
    }
    return n;
  }

  /** The pools there are now. */
  synchronized int pools() {
    return pools.size();
  }
}
