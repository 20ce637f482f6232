package io.boxer.agent.internal;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;

/**
 * Reserves local ports for the warm port pool: a TCP socket of the remote's family bound to an ephemeral port on
 * the wildcard address (where the agent binds a connecting socket), never connected, so nothing is sent and no
 * local NAT state is made. Without SO_REUSEADDR or SO_REUSEPORT: the kernel hands out no port that a socket still
 * holds (a just-used one in TIME_WAIT included), and while reserved nobody else can bind the port. Call it on a
 * Boxer-internal thread ({@link WarmPortsTicker}), so that the agent's own bind hook leaves the socket alone.
 * Stateless.
 */
final class PortReservations implements WarmPorts.Reserver {

  @Override
  public WarmPorts.Reservation reserve(InetAddress remote) throws IOException {
    boolean v6 = remote instanceof Inet6Address;
    SocketChannel socket = bound(SocketChannel.open(v6 ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET),
        new InetSocketAddress(InetAddress.getByAddress(new byte[v6 ? 16 : 4]), 0));
    try {
      return new Held(socket, ((InetSocketAddress) socket.getLocalAddress()).getPort());
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** {@code socket} bound to {@code at}; closed when the bind fails. Also holds ports for {@link QuarantinedPorts}. */
  static SocketChannel bound(SocketChannel socket, InetSocketAddress at) throws IOException {
    try {
      socket.bind(at);
      return socket;
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  private static final class Held implements WarmPorts.Reservation {
    private final SocketChannel socket;
    private final int port;

    Held(SocketChannel socket, int port) {
      this.socket = socket;
      this.port = port;
    }

    @Override
    public int port() {
      return port;
    }

    @Override
    public void close() {
      try {
        socket.close(); // an unconnected socket: the port is free at once (no TIME_WAIT)
      } catch (IOException e) {
        // the descriptor is released anyway
      }
    }
  }
}
