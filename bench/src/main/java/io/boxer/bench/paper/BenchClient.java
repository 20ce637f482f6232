package io.boxer.bench.paper;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;

/**
 * The measuring end: bulk throughput either way, the 1 KiB ping-pong and time to first byte, each against a
 * {@link BenchServer}. Knows nothing of Boxer (under {@code boxer run} the agent primes its connects). Every
 * connect has a {@link #CONNECT_TIMEOUT_MILLIS} timeout and every read {@link BenchServer#READ_TIMEOUT_MILLIS}.
 */
final class BenchClient {
  static final int CONNECT_TIMEOUT_MILLIS = 10_000;
  /** Bulk transfers are sampled once per interval of this length; the first interval (slow start, the socket
   *  buffer filling) is left out. */
  static final int INTERVAL_MILLIS = 250;
  /** Round trips per ping-pong sample, as in the paper. */
  static final int ROUND_TRIPS_PER_SAMPLE = 128;

  private final InetSocketAddress data;
  private final InetSocketAddress firstByte;

  BenchClient(InetSocketAddress data, InetSocketAddress firstByte) {
    this.data = data;
    this.firstByte = firstByte;
  }

  /** Sends for {@code millis}: Mbit/s written per interval (after the first), and the server's total in the last. */
  double[] forward(int millis) throws IOException {
    try (Socket socket = open(data)) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.write(Wire.FORWARD.code());
      out.writeInt(millis);
      byte[] chunk = new byte[Wire.CHUNK_BYTES];
      Intervals intervals = new Intervals(millis);
      long start = System.nanoTime();
      while (!intervals.done()) {
        out.write(chunk);
        intervals.add(chunk.length);
      }
      socket.shutdownOutput();
      long received = new DataInputStream(socket.getInputStream()).readLong();
      if (received != intervals.total()) {
        throw new IOException("forward: the server counted " + received + " bytes, " + intervals.total() + " were sent");
      }
      return intervals.samples();
    }
  }

  /** Receives for {@code millis}: Mbit/s read per interval, after the first. */
  double[] reverse(int millis) throws IOException {
    try (Socket socket = open(data)) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      out.write(Wire.REVERSE.code());
      out.writeInt(millis);
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] buffer = new byte[Wire.CHUNK_BYTES];
      Intervals intervals = new Intervals(millis + BenchServer.READ_TIMEOUT_MILLIS);
      int n;
      while ((n = in.read(buffer)) >= 0 && !intervals.done()) {
        intervals.add(n);
      }
      return intervals.samples();
    }
  }

  /** {@code samples} samples on one connection, each the mean round trip of 128 in microseconds. */
  double[] pingPong(int samples) throws IOException {
    try (Socket socket = open(data)) {
      DataOutputStream out = new DataOutputStream(socket.getOutputStream());
      DataInputStream in = new DataInputStream(socket.getInputStream());
      out.write(Wire.PING_PONG.code());
      out.writeInt(samples * ROUND_TRIPS_PER_SAMPLE);
      out.flush();
      byte[] message = new byte[Wire.PING_BYTES];
      double[] micros = new double[samples];
      for (int s = 0; s < samples; s++) {
        long start = System.nanoTime();
        for (int i = 0; i < ROUND_TRIPS_PER_SAMPLE; i++) {
          out.write(message);
          out.flush();
          in.readFully(message);
        }
        micros[s] = (System.nanoTime() - start) / 1000.0 / ROUND_TRIPS_PER_SAMPLE;
      }
      return micros;
    }
  }

  /** {@code count} fresh connections one after another (after {@code warmup} unmeasured ones): microseconds
   *  from the start of the connect to the server's first byte. */
  double[] timeToFirstByte(int count, int warmup) throws IOException {
    for (int i = 0; i < warmup; i++) {
      firstByteOnce();
    }
    double[] micros = new double[count];
    for (int i = 0; i < count; i++) {
      micros[i] = firstByteOnce();
    }
    return micros;
  }

  private double firstByteOnce() throws IOException {
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(BenchServer.READ_TIMEOUT_MILLIS);
      long start = System.nanoTime();
      socket.connect(firstByte, CONNECT_TIMEOUT_MILLIS);
      if (socket.getInputStream().read() < 0) {
        throw new IOException("first byte: the server " + firstByte + " closed without one");
      }
      return (System.nanoTime() - start) / 1000.0;
    }
  }

  private static Socket open(InetSocketAddress target) throws IOException {
    Socket socket = new Socket();
    try {
      socket.setTcpNoDelay(true);
      socket.setSoTimeout(BenchServer.READ_TIMEOUT_MILLIS);
      socket.connect(target, CONNECT_TIMEOUT_MILLIS);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  /** Bytes per fixed interval of a transfer that lasts a given time. Not thread-safe. */
  static final class Intervals {
    private final long start = System.nanoTime();
    private final long end;
    private final long[] bytes;
    private long total;

    Intervals(int millis) {
      this.end = start + millis * 1_000_000L;
      this.bytes = new long[Math.max(1, (int) ((long) millis / INTERVAL_MILLIS))];
    }

    boolean done() {
      return System.nanoTime() - end >= 0;
    }

    void add(int n) {
      total += n;
      int i = (int) ((System.nanoTime() - start) / (INTERVAL_MILLIS * 1_000_000L));
      bytes[Math.min(i, bytes.length - 1)] += n;
    }

    long total() {
      return total;
    }

    /** Mbit/s of each complete interval after the first (of the only one if there is just one). */
    double[] samples() {
      int complete = (int) Math.min(bytes.length, (System.nanoTime() - start) / (INTERVAL_MILLIS * 1_000_000L));
      long[] kept = complete > 1 ? Arrays.copyOfRange(bytes, 1, complete) : Arrays.copyOf(bytes, 1);
      return Arrays.stream(kept).mapToDouble(b -> mbitPerSecond(b, INTERVAL_MILLIS)).toArray();
    }
  }

  static double mbitPerSecond(long bytes, long millis) {
    return bytes * 8.0 / 1000.0 / millis;
  }
}
