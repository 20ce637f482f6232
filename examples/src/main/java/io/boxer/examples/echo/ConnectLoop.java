package io.boxer.examples.echo;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Connects again and again, so a test can watch what an application sees while a server freezes, dies or
 * comes back: {@code ConnectLoop HOST PORT INTERVAL_MS SECONDS TIMEOUT_MS [READ_TIMEOUT_MS]}. Each attempt
 * (connect, one echo) prints one line {@code attempt START_EPOCH_MS ELAPSED_MS ok|refused|timeout|failed
 * MESSAGE}. Knows nothing of Boxer. Bounded: runs for SECONDS, at most 100,000 attempts. An optional
 * READ_TIMEOUT_MS (default TIMEOUT_MS) bounds the wait for the echo separately from the connect.
 */
public final class ConnectLoop {
  public static void main(String[] args) throws InterruptedException {
    InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
    long intervalMs = Long.parseLong(args[2]);
    long endNanos = System.nanoTime() + Long.parseLong(args[3]) * 1_000_000_000L;
    int timeoutMs = Integer.parseInt(args[4]);
    int readTimeoutMs = args.length > 5 ? Integer.parseInt(args[5]) : timeoutMs;
    for (int i = 0; i < 100_000 && System.nanoTime() < endNanos; i++) {
      long startMillis = System.currentTimeMillis();
      long start = System.nanoTime();
      String outcome;
      try (Socket socket = new Socket()) {
        socket.connect(target, timeoutMs);
        socket.setSoTimeout(readTimeoutMs);
        PrintWriter out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out.println("ping");
        String reply = in.readLine();
        outcome = reply == null ? "failed closed-without-reply" : "ok " + reply;
      } catch (java.net.SocketTimeoutException e) {
        outcome = "timeout " + e.getMessage();
      } catch (java.net.ConnectException e) {
        outcome = ("Connection refused".equals(e.getMessage()) ? "refused " : "failed ") + e.getMessage();
      } catch (IOException e) {
        outcome = "failed " + e;
      }
      System.out.println("attempt " + startMillis + " " + (System.nanoTime() - start) / 1_000_000 + " " + outcome);
      System.out.flush();
      Thread.sleep(intervalMs);
    }
  }

  private ConnectLoop() {}
}
