package io.boxer.agent.it.probe;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

/** An application's first network calls: binds a loopback server socket, connects to it, prints "bound". */
public final class BindProbe {
  private BindProbe() {}

  public static void main(String[] args) throws IOException {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Socket client = new Socket()) {
      client.connect(server.getLocalSocketAddress(), 5_000);
      server.accept().close();
    }
    System.out.println("bound");
  }
}
