package io.boxer.control.relay;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two real TCP connections on loopback, spliced: bytes both ways, half-close passed on, close passed on. */
class SpliceTest {
  private final NioEventLoopGroup group = new NioEventLoopGroup(2);
  private final BlockingQueue<Channel> accepted = new ArrayBlockingQueue<>(2);
  private final LongAdder bytes = new LongAdder();
  private Channel server;
  private Socket a;
  private Socket b;

  @BeforeEach
  void splice() throws Exception {
    server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
        .childOption(ChannelOption.AUTO_READ, false)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            accepted.add(ch);
          }
        })
        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    int port = ((InetSocketAddress) server.localAddress()).getPort();
    a = new Socket(InetAddress.getLoopbackAddress(), port);
    Channel first = accepted.poll(5, TimeUnit.SECONDS);
    b = new Socket(InetAddress.getLoopbackAddress(), port);
    Channel second = accepted.poll(5, TimeUnit.SECONDS);
    a.setSoTimeout(5000);
    b.setSoTimeout(5000);
    Splice.join(first, second, bytes);
  }

  @AfterEach
  void stop() throws Exception {
    a.close();
    b.close();
    server.close().sync();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
  }

  @Test
  void bytesFlowBothWays_andAreCounted() throws Exception {
    a.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
    assertThat(read(b, 4)).isEqualTo("ping");
    b.getOutputStream().write("pong!".getBytes(StandardCharsets.US_ASCII));
    assertThat(read(a, 5)).isEqualTo("pong!");
    assertThat(bytes.sum()).isEqualTo(9);
  }

  @Test
  void halfClose_isPassedOn_andTheAnswerStillComesBack() throws Exception {
    a.getOutputStream().write("request".getBytes(StandardCharsets.US_ASCII));
    a.shutdownOutput();

    assertThat(read(b, 7)).isEqualTo("request");
    assertThat(b.getInputStream().read()).as("b sees the end of a's request").isEqualTo(-1);
    b.getOutputStream().write("answer".getBytes(StandardCharsets.US_ASCII));
    b.shutdownOutput();

    assertThat(read(a, 6)).isEqualTo("answer");
    assertThat(a.getInputStream().read()).isEqualTo(-1);
  }

  @Test
  void aReaderThatDoesNotRead_holdsTheSenderBack_insteadOfFillingTheSplicesMemory() throws Exception {
    int total = 64 << 20;
    Thread sender = new Thread(() -> {
      try {
        byte[] chunk = new byte[64 * 1024];
        for (int sent = 0; sent < total; sent += chunk.length) {
          a.getOutputStream().write(chunk);
        }
      } catch (Exception e) {
        // the test ends by closing the sockets
      }
    });
    sender.setDaemon(true);
    sender.start();
    Thread.sleep(1500);

    // what the splice took off a's socket sits in b's socket buffers or in its own outbound buffer (64 KiB):
    // bounded by the kernel's buffers, far below what the sender wants to send
    assertThat(bytes.sum()).isLessThan(24L << 20);
    assertThat(sender.isAlive()).as("the sender is held back").isTrue();

    byte[] buffer = new byte[1 << 20];
    long read = 0;
    b.setSoTimeout(10_000);
    while (read < total) {
      read += b.getInputStream().read(buffer);
    }
    assertThat(read).isEqualTo(total);
    sender.join(10_000);
  }

  @Test
  void close_ofOneEnd_closesTheOther() throws Exception {
    b.close();
    assertThat(a.getInputStream().read()).isEqualTo(-1);
  }

  private static String read(Socket s, int n) throws Exception {
    byte[] buffer = new byte[n];
    new DataInputStream(s.getInputStream()).readFully(buffer);
    return new String(buffer, StandardCharsets.US_ASCII);
  }
}
