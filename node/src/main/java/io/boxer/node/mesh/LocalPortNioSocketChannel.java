package io.boxer.node.mesh;

import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;

/**
 * A Netty client channel that always dials from one local port, shared (SO_REUSEPORT) with this node's
 * control server. Dialing from the control port keeps the external port predictable behind a
 * port-preserving NAT: the seed observes it, and peers prime toward it.
 */
public final class LocalPortNioSocketChannel extends NioSocketChannel {
  private final int localPort;

  public LocalPortNioSocketChannel(int localPort) {
    this.localPort = localPort;
  }

  @Override
  protected boolean doConnect(SocketAddress remoteAddress, SocketAddress localAddress) throws Exception {
    if (localAddress == null) {
      javaChannel().setOption(StandardSocketOptions.SO_REUSEADDR, true);
      javaChannel().setOption(StandardSocketOptions.SO_REUSEPORT, true);
      localAddress = new InetSocketAddress(localPort);
    }
    return super.doConnect(remoteAddress, localAddress);
  }
}
