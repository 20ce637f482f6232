package io.boxer.examples.echo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;

/**
 * Measures TCP connection setup as an application sees it: {@code ConnectProbe HOST PORT COUNT [WARMUP]}
 * opens and closes COUNT connections one after another (after WARMUP unmeasured ones, default 20) and prints
 * percentiles of the time {@code Socket.connect} took, in microseconds. Knows nothing of Boxer. Bounded: at
 * most 10,000 connections, each with a 5 s connect timeout.
 */
public final class ConnectProbe {
  public static void main(String[] args) throws IOException {
    InetSocketAddress target = new InetSocketAddress(args[0], Integer.parseInt(args[1]));
    int count = Integer.parseInt(args[2]);
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 20;
    if (count < 1 || count > 10_000 || warmup < 0 || warmup > 10_000) {
      throw new IllegalArgumentException("COUNT : " + count + ", WARMUP : " + warmup + " (expected: 1..10000, 0..10000)");
    }
    for (int i = 0; i < warmup; i++) {
      connectOnce(target);
    }
    long[] micros = new long[count];
    for (int i = 0; i < count; i++) {
      micros[i] = connectOnce(target);
    }
    Arrays.sort(micros);
    System.out.printf("connects=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d%n",
        count, at(micros, 0.50), at(micros, 0.90), at(micros, 0.99), micros[count - 1]);
  }

  private static long connectOnce(InetSocketAddress target) throws IOException {
    try (Socket socket = new Socket()) {
      long start = System.nanoTime();
      socket.connect(target, 5000);
      return (System.nanoTime() - start) / 1000;
    }
  }

  private static long at(long[] sorted, double quantile) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(quantile * sorted.length) - 1)];
  }

  private ConnectProbe() {}
}
