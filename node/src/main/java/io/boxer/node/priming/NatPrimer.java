package io.boxer.node.priming;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * Opens this host's NAT for one incoming TCP connection (DESIGN.md §2): a socket bound with SO_REUSEPORT to
 * the local port that will accept the connection sends one SYN toward the client's external endpoint, which
 * creates the NAT mapping and conntrack state; the client's own NAT drops that SYN. The socket is closed at
 * once: a socket in SYN_SENT closes without sending RST, so the state stays clean for the real connect.
 * Stateless and thread-safe.
 */
public final class NatPrimer {

  /**
   * Sends the priming SYN from {@code localPort} to {@code clientExternal}.
   *
   * @throws IOException if the port cannot be shared (the listener lacks SO_REUSEPORT) or the SYN cannot be
   *     sent
   */
  public void prime(int localPort, InetSocketAddress clientExternal) throws IOException {
    try (SocketChannel channel = SocketChannel.open()) {
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      channel.bind(new InetSocketAddress(localPort));
      channel.configureBlocking(false);
      // returns false: the SYN is on the wire; nobody will answer it
      channel.connect(clientExternal);
    }
  }
}
