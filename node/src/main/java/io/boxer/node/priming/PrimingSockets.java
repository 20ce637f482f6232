package io.boxer.node.priming;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Priming sockets made ready before a prime needs them: opened, given SO_REUSEADDR and SO_REUSEPORT, bound to a
 * listening port and made non-blocking, so that a priming SYN costs only its {@code connect} and {@code close} on
 * the prime's path. Those setup calls were two thirds of the time of the 4 SYNs in the lab (docs/prime-path.md).
 *
 * <p>A port gets sockets only right after a prime of it ({@link NatPrimer#prepare}, once the answer is out), and
 * keeps them for {@link #KEEP} after its last prime: a bound socket that does not listen takes no connections
 * and does not block a bind with SO_REUSEADDR or with SO_REUSEPORT by the same user (what the agent gives every
 * listener), but it does block any other bind of the port, so it is held only while primes keep coming.
 *
 * <p>Bounds: at most {@link NatPrimer#SYNS} sockets for each of at most {@link #MAX_PORTS} ports; the port
 * primed longest ago gives its sockets up first. Thread-safe.
 */
final class PrimingSockets implements AutoCloseable {
  /** How long a port keeps its ready sockets after its last prime. */
  static final Duration KEEP = Duration.ofSeconds(1);
  /** Ports with ready sockets at once, at most. */
  static final int MAX_PORTS = 16;

  private record Key(StandardProtocolFamily family, int port) {}

  private static final class Ready {
    final ArrayDeque<SocketChannel> sockets = new ArrayDeque<>();
    long lastUsed;
  }

  private final LongSupplier nanoTime;
  // @GuardedBy("this"), in the order the ports were last used (least recent first)
  private final Map<Key, Ready> ready = new LinkedHashMap<>(16, 0.75f, true);
  // @GuardedBy("this")
  private boolean closed;

  PrimingSockets(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** A new priming socket bound to {@code local}: what a prime opens when none is ready. */
  static SocketChannel open(StandardProtocolFamily family, InetSocketAddress local) throws IOException {
    SocketChannel channel = SocketChannel.open(family);
    try {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      channel.bind(local);
      channel.configureBlocking(false);
      return channel;
    } catch (IOException | RuntimeException e) {
      channel.close();
      throw e;
    }
  }

  /** A ready socket bound to {@code port}, or null if there is none; the caller owns it. */
  synchronized SocketChannel take(StandardProtocolFamily family, int port) {
    Ready sockets = ready.get(new Key(family, port));
    if (sockets == null) {
      return null;
    }
    sockets.lastUsed = nanoTime.getAsLong();
    return sockets.sockets.pollFirst();
  }

  /**
   * Tops {@code local}'s port up to {@code count} ready sockets, and closes those of ports not primed within
   * {@link #KEEP}. Quietly stops at the first socket that cannot be bound (the listener went away, or lacks
   * SO_REUSEPORT): the next prime opens its own and reports that.
   */
  void fill(StandardProtocolFamily family, InetSocketAddress local, int count) {
    Key key = new Key(family, local.getPort());
    closeIdle(nanoTime.getAsLong()); // before taking the lock below: closing is a system call per socket
    int missing;
    synchronized (this) {
      Ready sockets = ready.get(key);
      missing = count - (sockets == null ? 0 : sockets.sockets.size());
    }
    List<SocketChannel> opened = new ArrayList<>(); // bound outside the lock: a bind is a system call
    try {
      for (int i = 0; i < missing; i++) {
        opened.add(open(family, local));
      }
    } catch (IOException | RuntimeException e) {
      // as documented: the next prime opens its own socket and says why it could not
    }
    List<SocketChannel> surplus = new ArrayList<>();
    synchronized (this) {
      if (closed) {
        surplus.addAll(opened);
      } else if (!opened.isEmpty()) {
        Ready sockets = ready.computeIfAbsent(key, k -> new Ready());
        sockets.lastUsed = nanoTime.getAsLong();
        for (SocketChannel socket : opened) {
          (sockets.sockets.size() < count ? sockets.sockets : surplus).add(socket);
        }
        Iterator<Ready> oldest = ready.values().iterator();
        while (ready.size() > MAX_PORTS) {
          surplus.addAll(oldest.next().sockets);
          oldest.remove();
        }
      }
    }
    surplus.forEach(PrimingSockets::closeQuietly);
  }

  /** Closes the ready sockets of ports not primed within {@link #KEEP} of {@code now}. */
  void closeIdle(long now) {
    List<SocketChannel> idle = new ArrayList<>();
    synchronized (this) {
      for (Iterator<Ready> it = ready.values().iterator(); it.hasNext(); ) {
        Ready sockets = it.next();
        if (now - sockets.lastUsed >= KEEP.toNanos()) {
          idle.addAll(sockets.sockets);
          it.remove();
        }
      }
    }
    idle.forEach(PrimingSockets::closeQuietly);
  }

  /** Closes the ready sockets of {@code port}, e.g. because nothing listens there any more. */
  void drop(int port) {
    List<SocketChannel> dropped = new ArrayList<>();
    synchronized (this) {
      for (Iterator<Map.Entry<Key, Ready>> it = ready.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Key, Ready> entry = it.next();
        if (entry.getKey().port() == port) {
          dropped.addAll(entry.getValue().sockets);
          it.remove();
        }
      }
    }
    dropped.forEach(PrimingSockets::closeQuietly);
  }

  /** How many sockets are ready for {@code port} (tests, metrics). */
  synchronized int readyFor(StandardProtocolFamily family, int port) {
    Ready sockets = ready.get(new Key(family, port));
    return sockets == null ? 0 : sockets.sockets.size();
  }

  /** Closes every ready socket; later fills close what they open. */
  @Override
  public void close() {
    List<SocketChannel> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      ready.values().forEach(sockets -> all.addAll(sockets.sockets));
      ready.clear();
    }
    all.forEach(PrimingSockets::closeQuietly);
  }

  private static void closeQuietly(SocketChannel socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // a socket that never connected: nothing to flush or report
    }
  }
}
