package io.boxer.node.relay;

import io.boxer.control.relay.RelayWire;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Connects to the seed's relay with a ticket and waits until the relay says the other end is there
 * ({@link RelayWire#PAIRED}). Stateless apart from the event loop it uses (not owned).
 */
final class RelayDialer {

  /** A paired relay connection: auto-read off, and the bytes that came right behind the relay's answer. */
  record Paired(Channel channel, ByteBuf early) {}

  private final EventLoopGroup eventLoop;

  RelayDialer(EventLoopGroup eventLoop) {
    this.eventLoop = eventLoop;
  }

  /**
   * Completes with the paired connection, or exceptionally with an {@link IOException} saying which step failed:
   * the TCP connect to the relay, or the wait for the other end (the relay closes a session whose other end does
   * not come within its tickets' lifetime), within {@code timeout} in all.
   */
  CompletableFuture<Paired> dial(InetSocketAddress relay, byte[] ticket, Duration timeout) {
    CompletableFuture<Paired> paired = new CompletableFuture<>();
    ChannelFuture connect = new Bootstrap().group(eventLoop).channel(NioSocketChannel.class)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, timeout.toMillis()))
        .handler(new AwaitPaired(relay, paired))
        .connect(relay);
    Channel channel = connect.channel();
    connect.addListener(f -> {
      if (!f.isSuccess()) {
        paired.completeExceptionally(new IOException("connect to the relay " + relay + " failed: "
            + f.cause().getMessage(), f.cause()));
      } else {
        channel.writeAndFlush(RelayWire.preamble(ticket));
      }
    });
    channel.eventLoop().schedule(() -> {
      if (paired.completeExceptionally(new IOException("the other end did not reach the relay " + relay
          + " within " + timeout.toMillis() + " ms"))) {
        channel.close();
      }
    }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    return paired;
  }

  /** Reads the relay's one-byte answer; hands the channel over with whatever came behind it. */
  private static final class AwaitPaired extends ChannelInboundHandlerAdapter {
    private final InetSocketAddress relay;
    private final CompletableFuture<Paired> paired;

    AwaitPaired(InetSocketAddress relay, CompletableFuture<Paired> paired) {
      this.relay = relay;
      this.paired = paired;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf in = (ByteBuf) msg;
      byte answer = in.readByte();
      if (answer != RelayWire.PAIRED) {
        in.release();
        fail(ctx, "the relay " + relay + " answered " + answer + " instead of " + RelayWire.PAIRED);
        return;
      }
      ctx.channel().config().setAutoRead(false);
      ctx.pipeline().remove(this);
      if (!paired.complete(new Paired(ctx.channel(), in))) {
        in.release(); // timed out meanwhile: the channel is being closed
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      fail(ctx, "the relay " + relay + " closed the connection before the other end arrived (it refused the"
          + " ticket, or the other end never came)");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      fail(ctx, "the connection to the relay " + relay + " failed: " + cause.getMessage());
    }

    private void fail(ChannelHandlerContext ctx, String why) {
      paired.completeExceptionally(new IOException(why));
      ctx.close();
    }
  }
}
