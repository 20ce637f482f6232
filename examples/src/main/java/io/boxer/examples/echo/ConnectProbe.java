package io.boxer.examples.echo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;

/**
 * Measures TCP connection setup as an application sees it: {@code ConnectProbe HOST PORT COUNT [WARMUP [PAUSE_MS]]}
 * opens and closes COUNT connections one after another (after WARMUP unmeasured ones, default 20; PAUSE_MS
 * milliseconds apart, default 0, as a service that connects now and then rather than in a tight loop) and prints
 * percentiles of the time {@code Socket.connect} took, in microseconds, over all of them and over the last half
 * alone (after the JVMs involved have compiled their hot code). Knows nothing of Boxer. Bounded: at
 * most 10,000 connections, each with a 5 s connect timeout, at most 1000 ms apart.
 */
public final class ConnectProbe {
  public static void main(String[] args) throws IOException {
    InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
    int count = Integer.parseInt(args[2]);
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    int pauseMillis = args.length > 4 ? Integer.parseInt(args[4]) : 0;
    if (count < 1 || count > 10_000 || warmup < 0 || warmup > 10_000) {
      throw new IllegalArgumentException("COUNT : " + count + ", WARMUP : " + warmup + " (expected: 1..10000, 0..10000)");
    }
    if (pauseMillis < 0 || pauseMillis > 1000) {
      throw new IllegalArgumentException("PAUSE_MS : " + pauseMillis + " (expected: 0..1000)");
    }
    for (int i = 0; i < warmup; i++) {
      connectOnce(target);
      pause(pauseMillis);
    }
    long[] micros = new long[count];
    for (int i = 0; i < count; i++) {
      micros[i] = connectOnce(target);
      pause(pauseMillis);
    }
    // the last half alone: a JVM compiles its hot code over the first connects, here and in a node under Boxer
    long[] lastHalf = Arrays.copyOfRange(micros, count / 2, count);
    Arrays.sort(micros);
    Arrays.sort(lastHalf);
    System.out.printf("connects=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d last_half_p50_micros=%d "
            + "last_half_p90_micros=%d last_half_p99_micros=%d%n",
        count, at(micros, 0.50), at(micros, 0.90), at(micros, 0.99), micros[count - 1], at(lastHalf, 0.50),
        at(lastHalf, 0.90), at(lastHalf, 0.99));
  }

  private static long connectOnce(InetSocketAddress target) throws IOException {
    try (Socket socket = new Socket()) {
      long start = System.nanoTime();
      socket.connect(target, 5000);
      return (System.nanoTime() - start) / 1000;
    }
  }

  private static void pause(int millis) {
    if (millis > 0) {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static long at(long[] sorted, double quantile) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
  }

  private ConnectProbe() {}
}
