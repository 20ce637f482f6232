package io.boxer.bench.storage;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * The listening socket of a TCP receiver (message, reduce), in one place: SO_REUSEADDR set before the one bind,
 * because each round's receiver binds the port its predecessor may have left in TIME_WAIT.
 */
final class TcpListener {
  private TcpListener() {}

  /** A server socket bound to {@code port} on every address; the caller closes it. */
  static ServerSocket bind(int port) throws IOException {
    ServerSocket server = new ServerSocket();
    try {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(port));
      return server;
    } catch (IOException e) {
      server.close();
      throw e;
    }
  }
}
