package io.boxer.agent.it.probe;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.net.URL;
import java.nio.channels.AsynchronousSocketChannel;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The application the agent ITs run in a forked JVM under {@code -javaagent}. JDK-only. Prints
 * {@code key=value} lines on stdout; the IT asserts on them. Usage: {@code Probe SCENARIO [HOST PORT]}.
 */
public final class Probe {

  private Probe() {}

  public static void main(String[] args) throws Exception {
    out("java.feature", Runtime.version().feature());
    startUp();
    switch (args[0]) {
      case "socket-connect" -> socketConnect(args[1], Integer.parseInt(args[2]));
      case "socket-connect-timeout" -> socketConnect(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
      case "channel-connect" -> channelConnect(args[1], Integer.parseInt(args[2]));
      case "loopback-echo" -> loopbackEcho();
      case "own-address-echo" -> ownAddressEcho(args[1]);
      case "own-address-view" -> OwnAddressProbe.view(args[1]);
      case "udp-connect" -> udpConnect(args[1], Integer.parseInt(args[2]));
      case "reuseport" -> reusePort();
      case "bind-port" -> bindPort(Integer.parseInt(args[1]));
      case "isolation" -> isolation();
      case "netty-epoll-connect" -> NettyProbe.epollConnect(args[1], Integer.parseInt(args[2]));
      case "netty-epoll-ticking" -> NettyProbe.epollConnectWhileTicking(args[1], Integer.parseInt(args[2]));
      case "selector-connect" -> SelectorProbe.connectWhileServing(args[1], Integer.parseInt(args[2]));
      case "async-connect" -> asyncConnect(args[1], Integer.parseInt(args[2]));
      case "relay" -> relay(args);
      default -> throw new IllegalArgumentException("scenario : " + args[0]);
    }
    out("done", true);
  }

  /** {@code relay KIND HOST PORT...}: one relayed exchange per port (see {@link RelayProbe}). */
  private static void relay(String[] args) throws Exception {
    for (int i = 3; i < args.length; i++) {
      if (args[1].equals("netty-epoll")) {
        NettyProbe.relayExchange(args[2], Integer.parseInt(args[i]));
      } else {
        RelayProbe.exchange(args[1], args[2], Integer.parseInt(args[i]));
      }
    }
  }

  private static void socketConnect(String host, int port) {
    socketConnect(host, port, 2000);
  }

  /**
   * As an application that starts up before it connects: the agent fetches its first view when the JVM first
   * touches the network, and the first connect to a member waits for it; this lookup waits for that view (or for
   * the first failed attempt to reach the node), so that what a scenario times is its own connect, not the
   * watcher's start on a loaded host.
   */
  private static void startUp() throws SocketException {
    NetworkInterface.getNetworkInterfaces();
  }

  private static void socketConnect(String host, int port, int timeoutMillis) {
    long start = System.nanoTime();
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), timeoutMillis);
      out("connected", true);
    } catch (Exception e) {
      failure(e, start);
    }
  }

  private static void channelConnect(String host, int port) {
    long start = System.nanoTime();
    try (SocketChannel ch = SocketChannel.open()) {
      ch.connect(new InetSocketAddress(host, port));
      out("connected", true);
    } catch (Exception e) {
      failure(e, start);
    }
  }

  /**
   * {@code AsynchronousSocketChannel.connect} returns a Future: how long the call took, then the outcome (within
   * 20 s).
   */
  private static void asyncConnect(String host, int port) throws Exception {
    try (AsynchronousSocketChannel ch = AsynchronousSocketChannel.open()) {
      long start = System.nanoTime();
      Future<Void> connected = ch.connect(new InetSocketAddress(host, port));
      out("connectMillis", (System.nanoTime() - start) / 1_000_000);
      try {
        connected.get(20, TimeUnit.SECONDS);
        out("connected", true);
      } catch (ExecutionException e) {
        failure((Exception) e.getCause(), start);
      }
    }
  }

  /** A server and a client on loopback; the client sends one byte and reads it back. */
  private static void loopbackEcho() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      Thread echo = new Thread(() -> {
        try (Socket peer = server.accept()) {
          out("server.peerPort", peer.getPort());
          peer.getOutputStream().write(peer.getInputStream().read());
        } catch (Exception e) {
          out("server.exception", e);
        }
      });
      echo.start();
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", server.getLocalPort()), 2000);
        out("client.localPort", s.getLocalPort());
        out("client.remote", s.getRemoteSocketAddress());
        OutputStream o = s.getOutputStream();
        InputStream i = s.getInputStream();
        o.write(42);
        out("echo", i.read());
      } catch (Exception e) {
        failure(e, System.nanoTime());
      }
      echo.join(5000);
    }
  }

  /**
   * The app binds a server to what it believes is its own address (as a peers file says) and connects to
   * itself through it; the client sends one byte and reads it back.
   */
  private static void ownAddressEcho(String own) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName(own))) {
      out("server.bound", server.getInetAddress().getHostAddress());
      Thread echo = new Thread(() -> {
        try (Socket peer = server.accept()) {
          peer.getOutputStream().write(peer.getInputStream().read());
        } catch (Exception e) {
          out("server.exception", e);
        }
      });
      echo.start();
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(own, server.getLocalPort()), 2000);
        out("client.remote", s.getRemoteSocketAddress());
        s.getOutputStream().write(42);
        out("echo", s.getInputStream().read());
      } catch (Exception e) {
        failure(e, System.nanoTime());
      }
      echo.join(5000);
    } catch (Exception e) {
      failure(e, System.nanoTime());
    }
  }

  private static void udpConnect(String host, int port) throws Exception {
    try (DatagramChannel ch = DatagramChannel.open()) {
      ch.bind(new InetSocketAddress("127.0.0.1", 0));
      out("udp.reuseport", ch.getOption(StandardSocketOptions.SO_REUSEPORT));
      ch.connect(new InetSocketAddress(host, port)); // UDP connect sends nothing
      out("connected", ch.isConnected());
    }
  }

  private static void reusePort() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      out("server.reuseport", server.getOption(StandardSocketOptions.SO_REUSEPORT));
      // a second server on the same port: without Boxer "Address already in use", and so with it
      try (ServerSocketChannel second = ServerSocketChannel.open()) {
        second.bind(new InetSocketAddress("127.0.0.1", server.getLocalPort()));
        out("second.bind", "ok");
      } catch (Exception e) {
        out("second.bind", e.getClass().getName());
      }
    }
    // two servers that both ask for SO_REUSEPORT share the port, with Boxer or without
    try (ServerSocketChannel first = ServerSocketChannel.open(); ServerSocketChannel second = ServerSocketChannel.open()) {
      first.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      first.bind(new InetSocketAddress("127.0.0.1", 0));
      second.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      second.bind(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) first.getLocalAddress()).getPort()));
      out("shared.bind", "ok");
    } catch (Exception e) {
      out("shared.bind", e.getClass().getName());
    }
    try (SocketChannel ch = SocketChannel.open()) {
      ch.bind(new InetSocketAddress("127.0.0.1", 0));
      out("client.reuseport", ch.getOption(StandardSocketOptions.SO_REUSEPORT));
    }
  }

  /** A server on {@code port}, as a second process would start one. */
  private static void bindPort(int port) {
    try (ServerSocket server = new ServerSocket(port, 50, InetAddress.getByName("127.0.0.1"))) {
      out("bind", "ok");
    } catch (Exception e) {
      out("bind", e.getClass().getName());
    }
  }

  private static void isolation() {
    loadable("asm", "org.objectweb.asm.ClassReader");
    loadable("protobuf", "com.google.protobuf.Message");
    try {
      Class<?> hooks = Class.forName("io.boxer.agent.bootstrap.BoxerHooks");
      out("hooks.loader", hooks.getClassLoader());
      ClassLoader app = ClassLoader.getSystemClassLoader();
      URL url = app.getResource("io/boxer/agent/bootstrap/BoxerHooks.class");
      out("hooks.resource", url);
      out("hooks.appCopy", app.getResource("io/boxer/agent/bootstrap/BoxerHooks.class") != null
          && String.valueOf(url).contains("boxer-agent.jar!/io/"));
    } catch (ClassNotFoundException e) {
      out("hooks.loader", "absent");
    }
  }

  private static void loadable(String key, String className) {
    try {
      Class.forName(className);
      out(key, "loadable");
    } catch (ClassNotFoundException e) {
      out(key, "absent");
    }
  }

  static void failure(Exception e, long start) {
    out("exception", e.getClass().getName());
    out("message", e.getMessage());
    out("elapsedMillis", (System.nanoTime() - start) / 1_000_000);
  }

  static void out(String key, Object value) {
    System.out.println(key + "=" + value);
  }
}
