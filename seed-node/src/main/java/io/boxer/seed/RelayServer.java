package io.boxer.seed;

import io.boxer.control.RateLimitedLog;
import io.boxer.control.relay.RelayWire;
import io.boxer.control.relay.Splice;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's relay port (seed.proto, "The relay"): pairs the two connections of a session by their tickets
 * ({@link RelaySessions}) and splices them ({@link Splice}). A connection must send its preamble within
 * {@link #PREAMBLE_WITHIN} and nothing more before it is paired; at most {@link #MAX_CONNECTIONS} are open at
 * once. Anything else is closed, logged at a bounded rate. Start once, close once.
 */
final class RelayServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RelayServer.class);
  private static final RateLimitedLog refused = new RateLimitedLog(log, 10, 10, TimeUnit.SECONDS);
  static final Duration PREAMBLE_WITHIN = Duration.ofSeconds(5);
  static final int MAX_CONNECTIONS = 8192;
  private static final byte[] PAIRED = {RelayWire.PAIRED};

  private final InetSocketAddress bind;
  private final RelaySessions sessions;
  private final SeedMetrics metrics;
  private final AtomicInteger connections = new AtomicInteger();
  private final LongAdder bytes = new LongAdder();
  private EventLoopGroup group;
  private Channel server;

  RelayServer(InetSocketAddress bind, RelaySessions sessions, SeedMetrics metrics) {
    this.bind = bind;
    this.sessions = sessions;
    this.metrics = metrics;
    metrics.bindRelay(connections::get, bytes);
  }

  /** @throws java.io.IOException if the port cannot be bound */
  RelayServer start() throws java.io.IOException {
    group = new NioEventLoopGroup(2, new DefaultThreadFactory("boxer-seed-relay", true));
    try {
      server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
          .childOption(ChannelOption.TCP_NODELAY, true)
          .childHandler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel ch) {
              if (connections.incrementAndGet() > MAX_CONNECTIONS) {
                refused.warn("Relay connection refused: {} open. addr={}", MAX_CONNECTIONS, ch.remoteAddress());
                ch.close();
              }
              ch.closeFuture().addListener(f -> connections.decrementAndGet());
              ch.pipeline().addLast(new Preamble());
            }
          })
          .bind(bind).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      throw new java.io.IOException("cannot bind the relay port " + bind + ": " + e.getMessage(), e);
    }
    log.info("Relay listening. addr={}", server.localAddress());
    return this;
  }

  boolean started() {
    return server != null;
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  /** Closes the waiting ends of sessions whose tickets expired. */
  void tick(long now) {
    for (Channel waiting : sessions.expire(now)) {
      waiting.close();
    }
  }

  @Override
  public void close() {
    if (server != null) {
      server.close().syncUninterruptibly();
    }
    if (group != null) {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
  }

  /** Reads the preamble, then claims the ticket; pairs or waits. */
  private final class Preamble extends ChannelInboundHandlerAdapter {
    private final ByteBuf received = Unpooled.buffer(RelayWire.PREAMBLE_BYTES, RelayWire.PREAMBLE_BYTES);

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.executor().schedule(() -> {
        if (ctx.pipeline().get(Preamble.class) == this) {
          refused.warn("Relay connection sent no preamble within {} s. addr={}", PREAMBLE_WITHIN.toSeconds(),
              ctx.channel().remoteAddress());
          ctx.close();
        }
      }, PREAMBLE_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      try {
        if (in.readableBytes() > received.writableBytes()) {
          refuse(ctx, "sent more than the preamble before it was paired");
          return;
        }
        received.writeBytes(in);
      } finally {
        in.release();
      }
      if (received.isWritable()) {
        return;
      }
      ctx.channel().config().setAutoRead(false);
      try {
        byte[] ticket = RelayWire.ticketOf(received);
        ctx.pipeline().remove(this);
        InetSocketAddress source = (InetSocketAddress) ctx.channel().remoteAddress();
        Channel other = sessions.claim(ticket, source.getAddress(), ctx.channel(), System.nanoTime());
        if (other != null) {
          pair(other, ctx.channel());
        }
      } catch (RelaySessions.Refused | IllegalArgumentException e) {
        refuse(ctx, e.getMessage());
      }
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
      received.release();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }

    private void refuse(ChannelHandlerContext ctx, String why) {
      metrics.relayRefused();
      refused.warn("Relay connection refused. addr={} reason={}", ctx.channel().remoteAddress(), why);
      ctx.close();
    }
  }

  private void pair(Channel first, Channel second) {
    if (!first.isActive()) {
      second.close(); // the first end gave up meanwhile
      return;
    }
    metrics.relayPaired();
    second.writeAndFlush(Unpooled.wrappedBuffer(PAIRED));
    first.writeAndFlush(Unpooled.wrappedBuffer(PAIRED)).addListener((ChannelFutureListener) f -> {
      if (f.isSuccess()) {
        Splice.join(first, second, bytes);
      } else {
        first.close();
        second.close();
      }
    });
  }
}
