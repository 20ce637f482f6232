package io.boxer.agent.it.probe;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

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

  /**
   * An epoll event loop keeps running a 1 ms fixed-delay task while it connects to {@code host:port}: reports how
   * many times the task ran while the connect was pending (an event loop blocked by the prime runs none), and
   * the connect's outcome.
   */
  static void epollConnectWhileTicking(String host, int port) throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    try {
      EventLoop loop = group.next();
      AtomicLong ticks = new AtomicLong();
      loop.scheduleWithFixedDelay(ticks::incrementAndGet, 1, 1, TimeUnit.MILLISECONDS);
      Thread.sleep(100);
      Bootstrap bootstrap = new Bootstrap().group(loop).channel(EpollSocketChannel.class)
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 15_000).handler(new ChannelInboundHandlerAdapter());
      long start = System.nanoTime();
      long before = ticks.get();
      ChannelFuture f = bootstrap.connect(new InetSocketAddress(host, port));
      boolean done = f.await(10, TimeUnit.SECONDS);
      System.out.println("ticksWhilePending=" + (ticks.get() - before));
      System.out.println("elapsedMillis=" + (System.nanoTime() - start) / 1_000_000);
      if (!done) {
        System.out.println("exception=timeout");
      } else if (f.cause() != null) {
        System.out.println("exception=" + f.cause().getClass().getName());
        System.out.println("connectException=" + (f.cause() instanceof ConnectException));
        System.out.println("message=" + f.cause().getMessage());
      } else {
        System.out.println("connected=true");
        f.channel().close().syncUninterruptibly();
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /**
   * {@link RelayProbe}'s exchange through Netty's native epoll transport: connects to {@code host:port}, sends
   * the greeting, reads one line back; prints under {@code PORT.} the channel's remote and local addresses and
   * the line, or the connect's exception.
   */
  static void relayExchange(String host, int port) throws Exception {
    String prefix = port + ".";
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, EpollIoHandler.newFactory());
    try {
      CompletableFuture<String> line = new CompletableFuture<>();
      StringBuilder received = new StringBuilder();
      Bootstrap bootstrap = new Bootstrap().group(group).channel(EpollSocketChannel.class)
          .handler(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
              ByteBuf buf = (ByteBuf) msg;
              received.append(buf.toString(StandardCharsets.UTF_8));
              buf.release();
              int end = received.indexOf("\n");
              if (end >= 0) {
                line.complete(received.substring(0, end));
              }
            }
          });
      long start = System.nanoTime();
      ChannelFuture f = bootstrap.connect(new InetSocketAddress(host, port));
      if (!f.await(10, TimeUnit.SECONDS)) {
        Probe.out(prefix + "exception", "timeout");
      } else if (f.cause() != null) {
        Probe.out(prefix + "exception", f.cause().getClass().getName());
        Probe.out(prefix + "message", f.cause().getMessage());
        Probe.out(prefix + "elapsedMillis", (System.nanoTime() - start) / 1_000_000);
      } else {
        Channel ch = f.channel();
        Probe.out(prefix + "remote", ch.remoteAddress());
        Probe.out(prefix + "local", ch.localAddress());
        ch.writeAndFlush(Unpooled.copiedBuffer(RelayProbe.HELLO + "\n", StandardCharsets.UTF_8)).sync();
        Probe.out(prefix + "reply", line.get(10, TimeUnit.SECONDS));
        ch.close().syncUninterruptibly();
      }
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }
}
