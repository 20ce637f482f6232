package io.boxer.control.relay;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * Copies bytes both ways between two connected channels until either closes, then closes the other once what
 * it still had to write is written. A half-close is passed on as one (an end that shuts its output down makes the
 * splice shut the other channel's output down once everything before is written), so request-then-EOF protocols
 * work through it; once both directions have ended, both channels close. Flow control: a side reads on only while
 * the other side's outbound buffer is under its high water mark (64 KiB by default), so a splice holds at most that
 * plus one read buffer per direction however fast one end sends and however slow the other reads. Used by the
 * seed's relay and by the nodes' ends of a relayed
 * connection.
 */
public final class Splice {

  private Splice() {}

  /**
   * A client bootstrap for one end of a splice: it reads nothing until joined (what arrives first waits in the
   * kernel for the other end), sends without Nagle's delay, and gives up connecting after {@code connectTimeout}.
   */
  public static Bootstrap endBootstrap(EventLoopGroup group, Duration connectTimeout) {
    return new Bootstrap().group(group).channel(NioSocketChannel.class)
        .option(ChannelOption.AUTO_READ, false)
        .option(ChannelOption.TCP_NODELAY, true)
        .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.max(1, connectTimeout.toMillis()))
        .handler(new ChannelInboundHandlerAdapter());
  }

  /**
   * Joins {@code a} and {@code b}. Both must be active; this switches their auto-read off and takes over their
   * inbound path (any handlers they have stay in front).
   *
   * @param bytes counts the bytes copied in either direction; may be null
   */
  public static void join(Channel a, Channel b, LongAdder bytes) {
    join(a, b, Unpooled.EMPTY_BUFFER, bytes);
  }

  /**
   * As {@link #join(Channel, Channel, LongAdder)}, where {@code fromB} holds bytes already read from {@code b}
   * (they reach {@code a} first). Takes ownership of {@code fromB}.
   */
  public static void join(Channel a, Channel b, ByteBuf fromB, LongAdder bytes) {
    if (fromB.isReadable()) {
      if (bytes != null) {
        bytes.add(fromB.readableBytes());
      }
      a.writeAndFlush(fromB);
    } else {
      fromB.release();
    }
    for (Channel c : new Channel[] {a, b}) {
      c.config().setOption(ChannelOption.AUTO_READ, false);
      c.config().setOption(ChannelOption.ALLOW_HALF_CLOSURE, true);
    }
    a.pipeline().addLast(new Copy(b, bytes));
    b.pipeline().addLast(new Copy(a, bytes));
    a.read();
    b.read();
  }

  /**
   * One direction: what {@code from} (this handler's channel) reads is written to {@code to}. It reads on while
   * {@code to} is writable and pauses once {@code to}'s outbound buffer passes its high water mark; the handler on
   * {@code to} resumes it when that buffer drains (Netty's writability).
   */
  private static final class Copy extends ChannelInboundHandlerAdapter {
    private final Channel to;
    private final LongAdder bytes;

    Copy(Channel to, LongAdder bytes) {
      this.to = to;
      this.bytes = bytes;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (bytes != null && msg instanceof ByteBuf buf) {
        bytes.add(buf.readableBytes());
      }
      to.writeAndFlush(msg).addListener((ChannelFutureListener) f -> {
        if (!f.isSuccess()) {
          ctx.channel().close();
          f.channel().close();
        }
      });
      if (to.isWritable()) {
        ctx.channel().read();
      }
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
      if (ctx.channel().isWritable()) {
        to.read(); // the other direction paused for this channel's buffer: it has drained
      }
      ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof ChannelInputShutdownEvent) {
        // after everything this direction wrote before: writes complete in order
        to.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(w -> {
          if (to instanceof DuplexChannel duplex && to.isActive()) {
            duplex.shutdownOutput().addListener(f -> {
              if (ctx.channel() instanceof DuplexChannel self && self.isOutputShutdown()) {
                ctx.channel().close(); // the other direction ended before: the splice is done
                to.close();
              }
            });
          } else {
            to.close();
          }
        });
      }
      ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      closeAfterFlush(to);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.channel().close(); // a reset or a read error: the other side closes in channelInactive
    }
  }

  /** Closes {@code channel} once everything written to it so far has been flushed. */
  public static void closeAfterFlush(Channel channel) {
    if (channel.isActive()) {
      channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
  }
}
