package io.boxer.examples.ownaddress;

import io.boxer.examples.echo.EchoServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An echo server that tells a registry where to reach it, as cluster members announce themselves: the address
 * is {@code InetAddress.getLocalHost()}, "this machine's address". {@code LocalHostAdvertiser REGISTRY_HOST
 * REGISTRY_PORT PORT}: listens on PORT (all addresses), sends {@code ADDRESS PORT} to the registry, prints
 * {@code advertised ADDRESS:PORT} once the registry acknowledged, then serves. Exits 1 when the registry cannot
 * be told, 2 on a wrong command line. Knows nothing of Boxer.
 */
public final class LocalHostAdvertiser {

  /** Connecting to the registry and its answer: generous, a first connect to a member may wait for a prime. */
  private static final int REGISTRY_TIMEOUT_MILLIS = 20_000;

  private LocalHostAdvertiser() {}

  public static void main(String[] args) throws IOException {
    InetAddress registry;
    int registryPort;
    int port;
    try {
      UsageError.expectArgs(args, 3, "LocalHostAdvertiser REGISTRY_HOST REGISTRY_PORT PORT");
      registry = UsageError.address("REGISTRY_HOST", args[0]);
      registryPort = UsageError.port("REGISTRY_PORT", args[1]);
      port = UsageError.port("PORT", args[2]);
    } catch (UsageError e) {
      e.exit();
      return;
    }
    try (ServerSocket server = new ServerSocket(port)) {
      String advertised = InetAddress.getLocalHost().getHostAddress();
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(registry, registryPort), REGISTRY_TIMEOUT_MILLIS);
        socket.setSoTimeout(REGISTRY_TIMEOUT_MILLIS);
        new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8).println(advertised + " " + port);
        String ack = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
        if (!"ok".equals(ack)) {
          System.out.println("the registry did not acknowledge: " + ack);
          System.exit(1);
        }
      } catch (IOException e) {
        System.out.println("cannot reach the registry: " + e);
        System.exit(1);
      }
      System.out.println("advertised " + advertised + ":" + port);
      System.out.flush();
      EchoServer.serveForever(server, 10_000);
    }
  }
}
