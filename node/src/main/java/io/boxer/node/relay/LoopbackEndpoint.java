package io.boxer.node.relay;

import io.boxer.control.relay.Splice;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The local end of a relayed connection for a client on this host (the agent's application socket, or this node's
 * own control-link dial): a listener on 127.0.0.1 and a free port that accepts one connection within
 * {@link #ACCEPT_WITHIN} and splices it to the paired relay connection, then closes. If nobody comes, the relay
 * connection is closed too.
 */
final class LoopbackEndpoint {
  /** As agent.proto promises: the node accepts one connection within 5 s. */
  static final Duration ACCEPT_WITHIN = Duration.ofSeconds(5);
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  private LoopbackEndpoint() {}

  /** Opens the endpoint for {@code relay}; completes with its address once it listens. */
  static CompletableFuture<InetSocketAddress> open(EventLoopGroup eventLoop, RelayDialer.Paired relay, LongAdder bytes) {
    CompletableFuture<InetSocketAddress> listening = new CompletableFuture<>();
    AtomicBoolean taken = new AtomicBoolean();
    ServerBootstrap bootstrap = new ServerBootstrap().group(eventLoop).channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.AUTO_READ, false)
        .childOption(ChannelOption.TCP_NODELAY, true);
    bootstrap.childHandler(new ChannelInitializer<SocketChannel>() {
      @Override
      protected void initChannel(SocketChannel accepted) {
        if (!taken.compareAndSet(false, true)) {
          accepted.close(); // one connection per endpoint
          return;
        }
        accepted.parent().close();
        accepted.pipeline().addLast(new ChannelInboundHandlerAdapter() {
          @Override
          public void channelActive(ChannelHandlerContext ctx) {
            ctx.pipeline().remove(this);
            if (!relay.channel().isActive()) {
              relay.early().release();
              ctx.close();
              return;
            }
            Splice.join(ctx.channel(), relay.channel(), relay.early(), bytes);
          }
        });
      }
    });
    bootstrap.bind(new InetSocketAddress(LOOPBACK, 0)).addListener(f -> {
      if (!f.isSuccess()) {
        relay.early().release();
        relay.channel().close();
        listening.completeExceptionally(new IOException("cannot listen on " + LOOPBACK.getHostAddress() + ": "
            + f.cause().getMessage(), f.cause()));
        return;
      }
      Channel server = ((io.netty.channel.ChannelFuture) f).channel();
      server.eventLoop().schedule(() -> {
        if (taken.compareAndSet(false, true)) {
          server.close();
          relay.early().release();
          relay.channel().close();
        }
      }, ACCEPT_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
      // the relay's other end gave up before anyone came: nothing to accept for
      relay.channel().closeFuture().addListener(c -> {
        if (taken.compareAndSet(false, true)) {
          server.close();
          relay.early().release();
        }
      });
      listening.complete((InetSocketAddress) server.localAddress());
    });
    return listening;
  }
}
