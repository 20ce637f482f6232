package io.boxer.node.priming;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.net.StandardSocketOptions;
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
 * about once in 160,000 primes. They reuse one conntrack entry. Stateless and thread-safe.
 */
public final class NatPrimer {
  /** Priming SYNs per prime. */
  public static final int SYNS = 4;

  /**
   * Sends the priming SYNs from {@code localPort} to {@code clientExternal}.
   *
   * @throws IOException if the port cannot be shared (the listener lacks SO_REUSEPORT) or no SYN can be sent
   */
  public void prime(int localPort, InetSocketAddress clientExternal) throws IOException {
    // a socket of the client's family: the JDK's default dual-stack one costs one more system call (IPV6_V6ONLY)
    StandardProtocolFamily family = clientExternal.getAddress() instanceof Inet6Address
        ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
    InetSocketAddress local = new InetSocketAddress(wildcard(family), localPort);
    for (int i = 0; i < SYNS; i++) {
      try (SocketChannel channel = SocketChannel.open(family)) {
        channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
        channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
        channel.bind(local);
        channel.configureBlocking(false);
        // returns false: the SYN is on the wire; nobody will answer it
        channel.connect(clientExternal);
      }
    }
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
