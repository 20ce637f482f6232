package io.boxer.agent.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;

/**
 * Local ports whose connect {@link StalledHandshakes} ended mid-handshake, kept from every other socket until the
 * NATs have forgotten them. Both NATs still hold the ended attempt's entry (the server's in the state that drops
 * the client's SYNs), so a later connect from the same port to the same server would stall in the same way: with
 * the port free again, the kernel would hand it out (LossIT: two or three of 1,000 connects under 5 % loss timed
 * out after 20 s that way, all from ports used before). A held port is a TCP socket bound to it and never
 * connected, as the warm pool's reservations ({@link PortReservations}): without SO_REUSEADDR or SO_REUSEPORT, so
 * neither the kernel's choice of a port nor a warm reservation takes it, and nothing is sent.
 *
 * <p>Held for {@link #HOLD_SECONDS} s (Linux conntrack forgets an unanswered SYN after 120 s, a SYN_RECV entry after
 * 60 s), at most {@link #MAX_HELD} ports (the oldest is let go first); expired ones are let go at the next
 * {@link #hold} or {@link #releaseExpired}. Call on a thread inside the agent's re-entrancy guard, so that the
 * agent's bind hook leaves the socket alone. Thread-safe.
 */
final class QuarantinedPorts {

  static final long HOLD_SECONDS = 120;
  static final int MAX_HELD = 256;

  /** Binds a socket that holds a port, or throws when the port is taken. */
  @FunctionalInterface
  interface Binder {
    AutoCloseable bind(ProtocolFamily family, int port) throws IOException;
  }

  private record Held(AutoCloseable socket, long expiresNanos) {}

  private final Binder binder;
  private final long holdNanos;
  private final ArrayDeque<Held> held = new ArrayDeque<>();
  /** Expiry of the oldest held port, or Long.MAX_VALUE when none: read without the lock on every watched connect. */
  private volatile long nextExpiry = Long.MAX_VALUE;

  QuarantinedPorts() {
    this(new SocketBinder(), TimeUnit.SECONDS.toNanos(HOLD_SECONDS)); // no lambda: made when the agent activates
  }

  QuarantinedPorts(Binder binder, long holdNanos) {
    this.binder = binder;
    this.holdNanos = holdNanos;
  }

  /**
   * Holds {@code port}, just released by an aborted connect. Best effort: when another socket took the port in
   * the meantime, nothing is held.
   */
  void hold(ProtocolFamily family, int port, long now) {
    AutoCloseable socket;
    try {
      socket = binder.bind(family, port);
    } catch (IOException | RuntimeException e) {
      socket = null;
    }
    synchronized (this) {
      if (socket != null) {
        held.addLast(new Held(socket, now + holdNanos));
        while (held.size() > MAX_HELD) {
          close(held.pollFirst());
        }
      }
      releaseExpiredLocked(now);
    }
  }

  /** Lets the ports go whose time is up. */
  void releaseExpired(long now) {
    long next = nextExpiry;
    if (next == Long.MAX_VALUE || now - next < 0) {
      return;
    }
    synchronized (this) {
      releaseExpiredLocked(now);
    }
  }

  /** How many ports are held. */
  synchronized int size() {
    return held.size();
  }

  private void releaseExpiredLocked(long now) {
    while (!held.isEmpty() && now - held.peekFirst().expiresNanos() >= 0) {
      close(held.pollFirst());
    }
    nextExpiry = held.isEmpty() ? Long.MAX_VALUE : held.peekFirst().expiresNanos();
  }

  private static void close(Held h) {
    try {
      h.socket().close(); // never connected: the port is free at once
    } catch (Exception e) {
      // the descriptor is released anyway
    }
  }

  /** Holds a port with a JDK socket channel bound to it. */
  private static final class SocketBinder implements Binder {
    @Override
    public AutoCloseable bind(ProtocolFamily family, int port) throws IOException {
      // the JDK's own sockets have its "unspecified" family (sun.nio.ch.Net.UNSPEC), which open(family) refuses:
      // the default family is that one, dual-stack where the host has IPv6
      SocketChannel socket = family instanceof StandardProtocolFamily ? SocketChannel.open(family)
          : SocketChannel.open();
      // the wildcard of the socket's family, as the agent binds
      return PortReservations.bound(socket, new InetSocketAddress(port));
    }
  }
}
