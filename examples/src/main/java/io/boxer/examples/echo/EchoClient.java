package io.boxer.examples.echo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * An ordinary client that knows nothing of Boxer: {@code EchoClient HOST PORT MESSAGE [TIMEOUT_MS]}. Prints
 * what happened and exits 0 (echoed), 3 (refused), 4 (timed out) or 5 (other I/O error).
 */
public final class EchoClient {
  public static void main(String[] args) {
    String host = args[0];
    int port = Integer.parseInt(args[1]);
    String message = args[2];
    int timeoutMs = args.length > 3 ? Integer.parseInt(args[3]) : 5000;
    System.exit(exchange(host, port, message, timeoutMs));
  }

  /**
   * Sends {@code message} to {@code host:port} and prints the reply line, or what went wrong.
   *
   * @return 0 (echoed), 3 (refused), 4 (timed out) or 5 (other I/O error)
   */
  public static int exchange(String host, int port, String message, int timeoutMs) {
    long start = System.nanoTime();
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), timeoutMs);
      System.out.println("connected in " + elapsedMs(start) + " ms from port " + socket.getLocalPort());
      socket.setSoTimeout(timeoutMs);
      PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
      BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      out.println(message);
      System.out.println("reply: " + in.readLine());
      return 0;
    } catch (ConnectException e) {
      System.out.println("refused after " + elapsedMs(start) + " ms: " + e.getMessage());
      return 3;
    } catch (SocketTimeoutException e) {
      System.out.println("timed out after " + elapsedMs(start) + " ms: " + e.getMessage());
      return 4;
    } catch (IOException e) {
      System.out.println("failed after " + elapsedMs(start) + " ms: " + e);
      return 5;
    }
  }

  private static long elapsedMs(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  private EchoClient() {}
}
