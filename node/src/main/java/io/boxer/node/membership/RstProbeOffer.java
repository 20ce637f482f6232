package io.boxer.node.membership;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the node offers the seed to find out whether this host answers stray SYNs with RST (seed.proto,
 * JoinRequest.probe_port): a TCP port held bound without listening for as long as the node runs, so a SYN to it
 * meets no listener, and the host's own interface addresses, so the seed probes only a host it sees without a
 * NAT in between. The creator closes it. Thread-safe.
 */
public final class RstProbeOffer implements AutoCloseable {
  /** As many addresses as the seed accepts (ValidJoin.MAX_LOCAL_ADDRESSES). */
  static final int MAX_ADDRESSES = 64;

  private final Socket bound;
  private final List<InetAddress> addresses;

  private RstProbeOffer(Socket bound, List<InetAddress> addresses) {
    this.bound = bound;
    this.addresses = List.copyOf(addresses);
  }

  /** Binds an ephemeral port on every address (no listen) and lists the interface addresses. */
  public static RstProbeOffer open() throws IOException {
    Socket socket = new Socket();
    try {
      socket.bind(new InetSocketAddress(0));
      return new RstProbeOffer(socket, interfaceAddresses());
    } catch (IOException | RuntimeException e) {
      socket.close();
      throw e;
    }
  }

  /** The bound port, 1..65535. */
  public int port() {
    return bound.getLocalPort();
  }

  /** The host's interface addresses without loopback and link-local ones, at most {@link #MAX_ADDRESSES}. */
  public List<InetAddress> addresses() {
    return addresses;
  }

  private static List<InetAddress> interfaceAddresses() throws SocketException {
    List<InetAddress> out = new ArrayList<>();
    for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
      for (InetAddress a : Collections.list(nif.getInetAddresses())) {
        if ((a instanceof Inet4Address || a instanceof Inet6Address) && !a.isLoopbackAddress()
            && !a.isLinkLocalAddress() && out.size() < MAX_ADDRESSES) {
          out.add(a);
        }
      }
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    bound.close();
  }
}
