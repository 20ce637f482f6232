package io.boxer.netlab;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * A tiny TCP probe that {@link LabIT} runs inside lab namespaces (JDK only, one line of output per event).
 * Every mode has a hard timeout, so a probe never outlives its test.
 *
 * <pre>
 * server PORT ACCEPT_TIMEOUT_MS      prints "LISTENING PORT", then "PEER ip:port" (exit 0) or "TIMEOUT" (3)
 * connect HOST PORT LOCAL_PORT MS    prints "CONNECTED" (0), "TIMEOUT" (4) or "FAILED reason" (5); 0 = any port
 * prime LOCAL_PORT HOST PORT         docs/design/nat-lab.md priming: SO_REUSEADDR+SO_REUSEPORT, bind LOCAL_PORT,
 *                                    non-blocking connect to HOST:PORT, close at once; prints "PRIMED"
 * </pre>
 */
public final class LabProbe {
  private LabProbe() {}

  public static void main(String[] args) throws IOException {
    switch (args[0]) {
      case "server":
        System.exit(server(Integer.parseInt(args[1]), Integer.parseInt(args[2])));
        break;
      case "connect":
        System.exit(connect(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]),
            Integer.parseInt(args[4])));
        break;
      case "prime":
        System.exit(prime(Integer.parseInt(args[1]), args[2], Integer.parseInt(args[3])));
        break;
      default:
        System.out.println("FAILED unknown mode " + args[0]);
        System.exit(64);
    }
  }

  private static int server(int port, int acceptTimeoutMillis) throws IOException {
    try (ServerSocket ss = new ServerSocket()) {
      ss.setReuseAddress(true);
      // SO_REUSEPORT lets the prime socket bind the same port while we listen (docs/design/nat-lab.md).
      ss.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      ss.bind(new InetSocketAddress(port));
      ss.setSoTimeout(acceptTimeoutMillis);
      System.out.println("LISTENING " + port);
      try (Socket s = ss.accept()) {
        System.out.println("PEER " + s.getInetAddress().getHostAddress() + ":" + s.getPort());
        return 0;
      } catch (SocketTimeoutException e) {
        System.out.println("TIMEOUT");
        return 3;
      }
    }
  }

  private static int connect(String host, int port, int localPort, int timeoutMillis) {
    try (Socket s = new Socket()) {
      s.setReuseAddress(true);
      if (localPort > 0) {
        s.bind(new InetSocketAddress(localPort));
      }
      s.connect(new InetSocketAddress(host, port), timeoutMillis);
      System.out.println("CONNECTED " + s.getLocalPort());
      return 0;
    } catch (SocketTimeoutException e) {
      System.out.println("TIMEOUT");
      return 4;
    } catch (IOException e) {
      System.out.println("FAILED " + e);
      return 5;
    }
  }

  private static int prime(int localPort, String host, int port) throws IOException {
    try (SocketChannel ch = SocketChannel.open()) {
      ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      ch.bind(new InetSocketAddress(localPort));
      ch.configureBlocking(false);
      // The SYN leaves inside connect(); it creates the NAT mapping. Closing a SYN_SENT socket sends no RST.
      ch.connect(new InetSocketAddress(host, port));
    }
    System.out.println("PRIMED");
    return 0;
  }
}
