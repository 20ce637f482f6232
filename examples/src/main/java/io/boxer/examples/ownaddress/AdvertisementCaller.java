package io.boxer.examples.ownaddress;

import io.boxer.examples.echo.EchoClient;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A registry for one {@link LocalHostAdvertiser}, which then calls the advertised address as a peer would:
 * {@code AdvertisementCaller PORT MESSAGE TIMEOUT_MS}. Prints {@code listening on PORT}, takes one {@code ADDRESS PORT}
 * line (acknowledged with {@code ok}), prints {@code advertised ADDRESS:PORT}, sends MESSAGE there (connect and
 * read each within TIMEOUT_MS) and exits as
 * {@link EchoClient#exchange} does (0 echoed, 3 refused, 4 timed out, 5 other I/O error); 1 for a malformed
 * advertisement, 2 on a wrong command line. Knows nothing of Boxer.
 */
public final class AdvertisementCaller {

  private AdvertisementCaller() {}

  public static void main(String[] args) throws IOException {
    int port;
    int timeoutMillis;
    try {
      UsageError.expectArgs(args, 3, "AdvertisementCaller PORT MESSAGE TIMEOUT_MS");
      port = UsageError.port("PORT", args[0]);
      timeoutMillis = UsageError.millis("TIMEOUT_MS", args[2]);
    } catch (UsageError e) {
      e.exit();
      return;
    }
    String[] advertised;
    try (ServerSocket registry = new ServerSocket(port)) {
      System.out.println("listening on " + port);
      System.out.flush();
      try (Socket member = registry.accept()) {
        member.setSoTimeout(10_000);
        String line = new BufferedReader(new InputStreamReader(member.getInputStream(), StandardCharsets.UTF_8))
            .readLine();
        advertised = line == null ? new String[0] : line.split(" ");
        new PrintWriter(member.getOutputStream(), true, StandardCharsets.UTF_8).println("ok");
      }
    }
    int advertisedPort;
    try {
      if (advertised.length != 2) {
        throw new UsageError("advertisement : " + String.join(" ", advertised) + " (expected: ADDRESS PORT)");
      }
      UsageError.address("advertised address", advertised[0]);
      advertisedPort = UsageError.port("advertised port", advertised[1]);
    } catch (UsageError e) {
      System.out.println(e.getMessage());
      System.exit(1);
      return;
    }
    System.out.println("advertised " + advertised[0] + ":" + advertisedPort);
    System.exit(EchoClient.exchange(advertised[0], advertisedPort, args[1], timeoutMillis));
  }
}
