package io.boxer.examples.echo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * An ordinary echo server that knows nothing of Boxer: {@code EchoServer PORT}. Answers each line with
 * {@code echo <line> from <client ip:port>} so a test can see which address the connection came from.
 * {@code EchoServer PORT READ_TIMEOUT_MS} closes a connection that sends nothing for that long (default 10 s).
 */
public final class EchoServer {
  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    int readTimeoutMillis = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    // a deep accept queue: a benchmark client opens connections faster than one accept thread may take them
    try (ServerSocket server = new ServerSocket(port, 1024)) {
      System.out.println("listening on " + port);
      System.out.flush();
      serveForever(server, readTimeoutMillis);
    }
  }

  /** Accepts connections on {@code server} and echoes each on a thread of its own, until accept fails. */
  public static void serveForever(ServerSocket server, int readTimeoutMillis) throws IOException {
    while (true) {
      Socket client = server.accept();
      Thread t = new Thread(() -> serve(client, readTimeoutMillis), "echo-" + client.getPort());
      t.setDaemon(true);
      t.start();
    }
  }

  private static void serve(Socket client, int readTimeoutMillis) {
    String from = client.getInetAddress().getHostAddress() + ":" + client.getPort();
    System.out.println("accepted " + from);
    System.out.flush();
    try (client;
        BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8)) {
      client.setSoTimeout(readTimeoutMillis);
      String line;
      while ((line = in.readLine()) != null) {
        out.println("echo " + line + " from " + from);
      }
    } catch (IOException e) {
      System.out.println("connection from " + from + " failed: " + e);
    }
  }

  private EchoServer() {}
}
