package io.boxer.node.priming;

import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

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
 * <p>The probe holds the port for microseconds; an application binding the same port at that very moment
 * without SO_REUSEADDR would get "address in use" (the JDK's server sockets set SO_REUSEADDR). Stateless and
 * thread-safe.
 */
public final class ListenerProbe {
  private static final InetAddress ANY_V4 = NatPrimer.wildcard(StandardProtocolFamily.INET);

  /** True if a socket listens on {@code port} on an address that IPv4 connections can reach. */
  public boolean isListening(int port) throws IOException {
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
