package io.boxer.netlab.wan;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.Locale;

/**
 * The TCP tools that measure a lab's WAN, run inside lab hosts (JDK only; one JSON line of result):
 *
 * <pre>
 * server PORT SECONDS                  echoes round trips and sinks streams, one connection at a time, for SECONDS
 * rtt HOST PORT ROUND_TRIPS            TCP_NODELAY ping-pong of 64-byte messages after 20 warm-up round trips:
 *                                      {"roundTrips": N, "p50Micros": .., "p90Micros": .., "p99Micros": .., "minMicros": ..}
 * throughput HOST PORT SECONDS         sends for SECONDS, then waits for the server's byte count:
 *                                      {"bytes": B, "seconds": S, "mbitPerSecond": M}
 * </pre>
 *
 * A connection's first byte says what it is: {@code R} for round trips, {@code T} for a stream. Exit codes:
 * 0 done, 2 usage error, 1 I/O error (message on stderr).
 */
public final class WanProbe {
  /** Bytes of each ping-pong message. */
  public static final int MESSAGE = 64;
  static final int WARM_UP = 20;

  private WanProbe() {}

  public static void main(String[] args) {
    try {
      String json = switch (args.length == 0 ? "" : args[0]) {
        case "server" -> serve(port(args, 1), positive(args, 2, "SECONDS"));
        case "rtt" -> rtt(host(args), port(args, 2), positive(args, 3, "ROUND_TRIPS"));
        case "throughput" -> throughput(host(args), port(args, 2), positive(args, 3, "SECONDS"));
        default -> throw new IllegalArgumentException("mode : " + (args.length == 0 ? "none" : args[0])
            + " (expected: server, rtt or throughput)");
      };
      System.out.println(json);
    } catch (IllegalArgumentException e) {
      System.err.println("wan probe: " + e.getMessage());
      System.exit(2);
    } catch (IOException e) {
      System.err.println("wan probe: " + e);
      System.exit(1);
    }
  }

  private static String serve(int port, int seconds) throws IOException {
    long end = System.nanoTime() + seconds * 1_000_000_000L;
    int served = 0;
    try (ServerSocket server = new ServerSocket()) {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(port));
      System.out.println("{\"listening\": " + port + "}");
      System.out.flush();
      while (System.nanoTime() < end) {
        server.setSoTimeout((int) Math.max(1, (end - System.nanoTime()) / 1_000_000));
        try (Socket s = server.accept()) {
          s.setTcpNoDelay(true);
          InputStream in = s.getInputStream();
          int kind = in.read();
          if (kind == 'R') {
            echo(in, s.getOutputStream());
          } else if (kind == 'T') {
            long bytes = sink(in);
            new DataOutputStream(s.getOutputStream()).writeLong(bytes);
          }
          served++;
        } catch (java.net.SocketTimeoutException e) {
          break;
        }
      }
    }
    return "{\"served\": " + served + "}";
  }

  private static void echo(InputStream in, OutputStream out) throws IOException {
    byte[] message = new byte[MESSAGE];
    DataInputStream data = new DataInputStream(in);
    while (true) {
      try {
        data.readFully(message);
      } catch (java.io.EOFException e) {
        return;
      }
      out.write(message);
    }
  }

  private static long sink(InputStream in) throws IOException {
    byte[] buffer = new byte[1 << 16];
    long total = 0;
    for (int n; (n = in.read(buffer)) > 0; ) {
      total += n;
    }
    return total;
  }

  private static String rtt(String host, int port, int roundTrips) throws IOException {
    long[] micros = new long[roundTrips];
    try (Socket s = new Socket()) {
      s.setTcpNoDelay(true);
      s.connect(new InetSocketAddress(host, port), 10_000);
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      DataInputStream in = new DataInputStream(s.getInputStream());
      out.write('R');
      byte[] message = new byte[MESSAGE];
      for (int i = -WARM_UP; i < roundTrips; i++) {
        long start = System.nanoTime();
        out.write(message);
        in.readFully(message);
        if (i >= 0) {
          micros[i] = (System.nanoTime() - start) / 1000;
        }
      }
    }
    Arrays.sort(micros);
    return String.format(Locale.ROOT,
        "{\"roundTrips\": %d, \"p50Micros\": %d, \"p90Micros\": %d, \"p99Micros\": %d, \"minMicros\": %d}",
        roundTrips, percentile(micros, 50), percentile(micros, 90), percentile(micros, 99), micros[0]);
  }

  /** The nearest-rank percentile of sorted {@code values}. */
  static long percentile(long[] sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, rank - 1)];
  }

  private static String throughput(String host, int port, int seconds) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 10_000);
      s.setSoTimeout(30_000);
      OutputStream out = s.getOutputStream();
      out.write('T');
      byte[] chunk = new byte[1 << 16];
      long start = System.nanoTime();
      long end = start + seconds * 1_000_000_000L;
      while (System.nanoTime() < end) {
        out.write(chunk);
      }
      s.shutdownOutput();
      long bytes = new DataInputStream(s.getInputStream()).readLong(); // all of it has arrived
      double elapsed = (System.nanoTime() - start) / 1e9;
      return String.format(Locale.ROOT, "{\"bytes\": %d, \"seconds\": %.3f, \"mbitPerSecond\": %.1f}",
          bytes, elapsed, bytes * 8 / elapsed / 1e6);
    }
  }

  private static String host(String[] args) {
    if (args.length < 2) {
      throw new IllegalArgumentException("HOST : missing (expected: an IPv4 address)");
    }
    return args[1];
  }

  private static int port(String[] args, int at) {
    int port = positive(args, at, "PORT");
    if (port > 65535) {
      throw new IllegalArgumentException("PORT : " + port + " (expected: 1..65535)");
    }
    return port;
  }

  private static int positive(String[] args, int at, String name) {
    if (args.length <= at) {
      throw new IllegalArgumentException(name + " : missing (expected: a number > 0)");
    }
    try {
      int v = Integer.parseInt(args[at]);
      if (v < 1) {
        throw new IllegalArgumentException(name + " : " + v + " (expected: > 0)");
      }
      return v;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " : " + args[at] + " (expected: a number > 0)");
    }
  }
}
