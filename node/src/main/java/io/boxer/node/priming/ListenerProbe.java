package io.boxer.node.priming;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Tells whether some socket in this network namespace listens on a TCP port, so a prime request for a port
 * nothing listens on is answered "refused" at once.
 *
 * <p>How: bind a socket with SO_REUSEADDR (and without SO_REUSEPORT) to the wildcard address and the port,
 * then close it. Linux refuses that bind only if a socket bound to an overlapping address is listening (or
 * holds the port without SO_REUSEADDR); bound-but-not-listening sockets with SO_REUSEADDR and TIME_WAIT
 * leftovers do not count. The probe is an IPv4 socket, so an IPv6-only listener does not block an IPv4 bind, which is right: it cannot take
 * the IPv4 connection either. This costs a few syscalls; reading {@code /proc/net/tcp} costs milliseconds per
 * call, since the kernel walks its whole connection table for it.
 *
 * <p>A port found listening is taken as listening for {@link #REMEMBER_LISTENING} without asking again: the
 * answer "listening" is the refused bind, and the JDK turns it into a {@link BindException} whose stack trace
 * was the dearest part of a prime on the listening host (docs/prime-path.md). A listener that closed within that
 * time gets its port primed anyway; the client's connect then draws the kernel's RST, "Connection refused", as
 * it would without Boxer. "Not listening" is never remembered: a server that has just started must be reachable
 * at once.
 *
 * <p>The probe holds the port for microseconds; an application binding the same port at that very moment
 * without SO_REUSEADDR would get "address in use" (the JDK's server sockets set SO_REUSEADDR). Thread-safe.
 */
public final class ListenerProbe {
  /** How long a port found listening is taken as listening without a new probe. */
  public static final Duration REMEMBER_LISTENING = Duration.ofSeconds(1);
  /** Ports remembered at once; beyond it the memory starts again (a host listens on a few ports). */
  static final int MAX_REMEMBERED = 256;
  private static final InetAddress ANY_V4 = NatPrimer.wildcard(StandardProtocolFamily.INET);

  private final LongSupplier nanoTime;
  /** port -> when it was last found listening ({@link System#nanoTime()}) */
  private final Map<Integer, Long> listeningSeen = new ConcurrentHashMap<>();

  public ListenerProbe() {
    this(System::nanoTime);
  }

  ListenerProbe(LongSupplier nanoTime) {
    this.nanoTime = nanoTime;
  }

  /** True if a socket listens on {@code port} on an address that IPv4 connections can reach. */
  public boolean isListening(int port) throws IOException {
    long now = nanoTime.getAsLong();
    Long seen = listeningSeen.get(port);
    if (seen != null && now - seen < REMEMBER_LISTENING.toNanos()) {
      return true;
    }
    if (!probe(port)) {
      listeningSeen.remove(port);
      return false;
    }
    if (listeningSeen.size() >= MAX_REMEMBERED) {
      listeningSeen.clear();
    }
    listeningSeen.put(port, now);
    return true;
  }

  private static boolean probe(int port) throws IOException {
    // an IPv4 socket: the JDK's default dual-stack one costs one more system call (IPV6_V6ONLY) on this path
    try (SocketChannel probe = SocketChannel.open(StandardProtocolFamily.INET)) {
      probe.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      probe.bind(new InetSocketAddress(ANY_V4, port));
      return false;
    } catch (BindException e) {
      return true;
    }
  }
}
