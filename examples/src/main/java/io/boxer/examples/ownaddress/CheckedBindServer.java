package io.boxer.examples.ownaddress;

import io.boxer.examples.echo.EchoServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * An echo server configured with the address to bind, which, like a clustering library, refuses to start unless
 * that address is one of this machine's ({@link BindAddressCheck}): {@code CheckedBindServer BIND_ADDRESS PORT}.
 * Prints {@code listening on ADDRESS:PORT} once it serves; exits 1 when the check fails, 2 on a wrong command
 * line. Knows nothing of Boxer.
 */
public final class CheckedBindServer {

  private CheckedBindServer() {}

  public static void main(String[] args) throws IOException {
    InetAddress bind;
    int port;
    try {
      UsageError.expectArgs(args, 2, "CheckedBindServer BIND_ADDRESS PORT");
      bind = UsageError.address("BIND_ADDRESS", args[0]);
      port = UsageError.port("PORT", args[1]);
    } catch (UsageError e) {
      e.exit();
      return;
    }
    String problem = BindAddressCheck.problem(bind);
    if (problem != null) {
      System.out.println("refusing to start: bind address " + problem);
      System.exit(1);
    }
    try (ServerSocket server = new ServerSocket()) {
      server.bind(new InetSocketAddress(bind, port));
      System.out.println("listening on " + bind.getHostAddress() + ":" + port);
      System.out.flush();
      EchoServer.serveForever(server, 10_000);
    }
  }
}
