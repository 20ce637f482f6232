package io.boxer.agent.it.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Connects to a loopback server socket COUNT times (at most 20,000), so that the JIT compiles the JDK's connect
 * path, and prints "connected COUNT".
 */
public final class ConnectLoopProbe {
  private ConnectLoopProbe() {}

  public static void main(String[] args) throws IOException {
    int count = Integer.parseInt(args[0]);
    if (count < 1 || count > 20_000) {
      throw new IllegalArgumentException("COUNT : " + count + " (expected: 1..20000)");
    }
    try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      for (int i = 0; i < count; i++) {
        try (Socket client = new Socket()) {
          client.connect(server.getLocalSocketAddress(), 5_000);
          server.accept().close();
        }
      }
    }
    System.out.println("connected " + count);
  }
}
