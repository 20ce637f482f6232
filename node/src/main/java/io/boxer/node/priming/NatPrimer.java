package io.boxer.node.priming;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;

/**
 * Opens this host's NAT for one incoming TCP connection: a socket bound with SO_REUSEPORT to the local port
 * that will accept the connection sends a SYN toward the client's external endpoint, which creates the NAT
 * mapping and conntrack state; the client's own NAT drops that SYN. The socket is closed at once: a socket in
 * SYN_SENT closes without sending RST, so the state stays clean for the real connect.
 *
 * <p>A priming SYN lost before it leaves the NAT leaves no state at all (conntrack confirms an entry only
 * when its first packet passes), and then the client's SYN is dropped and its connect hangs. So the primer
 * sends {@link #SYNS} SYNs back to back, all before the answer goes out: with 5% loss all of them are lost
 * about once in 160,000 primes. They reuse one conntrack entry.
 *
 * <p>The SYNs go from sockets made ready after the port's previous prime when there are any
 * ({@link PrimingSockets}, filled by {@link #prepare} once the answer is out), else from new ones. Thread-safe;
 * {@link #close} releases the ready sockets.
 */
public final class NatPrimer implements AutoCloseable {
  /** Priming SYNs per prime. */
  public static final int SYNS = 4;

  private final PrimingSockets ready = new PrimingSockets(System::nanoTime);

  /**
   * Sends the priming SYNs from {@code localPort} to {@code clientExternal}.
   *
   * @throws IOException if the port cannot be shared (the listener lacks SO_REUSEPORT) or no SYN can be sent
   */
  public void prime(int localPort, InetSocketAddress clientExternal) throws IOException {
    StandardProtocolFamily family = familyOf(clientExternal);
    for (int i = 0; i < SYNS; i++) {
      SocketChannel readySocket = ready.take(family, localPort);
      try (SocketChannel channel = readySocket != null ? readySocket
          : PrimingSockets.open(family, new InetSocketAddress(wildcard(family), localPort))) {
        // returns false: the SYN is on the wire; nobody will answer it
        channel.connect(clientExternal);
      }
    }
  }

  /**
   * Makes the sockets of the next prime of {@code localPort} toward a client of {@code clientExternal}'s family
   * ready now, off the prime's path: for after the answer to a prime has gone out. Never throws.
   */
  public void prepare(int localPort, InetSocketAddress clientExternal) {
    StandardProtocolFamily family = familyOf(clientExternal);
    ready.fill(family, new InetSocketAddress(wildcard(family), localPort), SYNS);
  }

  /** Releases the ready sockets of {@code localPort}: nothing listens there any more. */
  public void forget(int localPort) {
    ready.drop(localPort);
  }

  /** Releases the ready sockets of ports not primed lately (the node's tick). */
  public void closeIdle(long now) {
    ready.closeIdle(now);
  }

  /** How many sockets are ready for the next prime of {@code localPort} toward an IPv4 client (tests). */
  int readyFor(int localPort) {
    return ready.readyFor(StandardProtocolFamily.INET, localPort);
  }

  @Override
  public void close() {
    ready.close();
  }

  /**
   * The family of the sockets that talk to {@code remote}: the JDK's default dual-stack socket costs one more
   * system call (IPV6_V6ONLY) than one of the remote's own family.
   */
  public static StandardProtocolFamily familyOf(InetSocketAddress remote) {
    return remote.getAddress() instanceof Inet6Address
        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
  }

  /** The wildcard address of {@code family} (0.0.0.0 or ::). */
  public static InetAddress wildcard(StandardProtocolFamily family) {
    try {
      return InetAddress.getByAddress(new byte[family == StandardProtocolFamily.INET6 ? 16 : 4]);
    } catch (UnknownHostException e) {
      throw new AssertionError(e); // 4 and 16 bytes are addresses
    }
  }
}
