package io.boxer.agent.it.probe;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * {@link Probe}'s Netty scenarios, in their own class so that no other scenario loads a Netty class. Runs with
 * the Netty jars on the class path (AgentIT adds them for these scenarios only).
 */
final class NettyProbe {

  private NettyProbe() {}

  /** Connects through Netty's native epoll transport; prints whether it failed with a ConnectException. */
  static void epollConnect(String host, int port) throws Exception {
    System.out.println("epoll.available=" + Epoll.isAvailable());
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    try {
      Bootstrap bootstrap = new Bootstrap().group(group).channel(EpollSocketChannel.class)
          .handler(new ChannelInboundHandlerAdapter());
      long start = System.nanoTime();
      ChannelFuture f = bootstrap.connect(new InetSocketAddress(host, port));
      if (!f.await(10, TimeUnit.SECONDS)) {
        System.out.println("exception=timeout");
      } else if (f.cause() != null) {
        System.out.println("exception=" + f.cause().getClass().getName());
        System.out.println("connectException=" + (f.cause() instanceof ConnectException));
        System.out.println("message=" + f.cause().getMessage());
        System.out.println("elapsedMillis=" + (System.nanoTime() - start) / 1_000_000);
      } else {
        System.out.println("connected=true");
        f.channel().close().syncUninterruptibly();
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
