package io.boxer.agent.internal;

import java.net.InetAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A fake {@link WarmPorts.Reserver}: hands out ports counting up from a first one and keeps the set of ports whose
 * reservation is not closed yet. Thread-safe.
 */
final class TrackedReservations implements WarmPorts.Reserver {
  /** Ports reserved and not closed. */
  final Set<Integer> open = ConcurrentHashMap.newKeySet();
  private int nextPort;

  TrackedReservations(int firstPort) {
    this.nextPort = firstPort;
  }

  @Override
  public synchronized WarmPorts.Reservation reserve(InetAddress remote) {
    int port = nextPort++;
    open.add(port);
    return new WarmPorts.Reservation() {
      @Override
      public int port() {
        return port;
      }

      @Override
      public void close() {
        open.remove(port);
      }
    };
  }
}
