import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * What a hand-off between two processes costs on this host, the floor under every step of a prime: a 24-byte
 * message (an agent's prime request is 24 bytes) echoed over a Unix-domain socket between two JVMs, as the agent
 * and its node talk, in three modes. <b>blocking</b>: each side sleeps in a blocking read until the other's message
 * arrives, so every message is one thread wake-up; <b>selector</b>: each side sleeps in a {@link Selector} (epoll),
 * as the agent's caller and the node's event loop do; <b>spinning</b>: both sides poll their non-blocking socket,
 * so no thread ever sleeps. Half the difference of a sleeping mode's round trip and the spinning one is the price
 * of one wake-up.
 *
 * <p>Usage (bin/bench-wake-floor): {@code java WakeFloor.java ROUNDS COUNT}; each round measures every mode, in an
 * order that rotates from round to round, COUNT round trips each after COUNT/4 unmeasured ones, against one echo
 * JVM started for the run.
 */
public final class WakeFloor {
  private static final int MESSAGE = 24;
  private static final int MAX_ROUNDS = 100;
  private static final int MAX_COUNT = 1_000_000;
  /** No measurement may take longer (a stuck echo ends the run instead of hanging it). */
  private static final long MEASUREMENT_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(60);

  private enum Mode {
    BLOCKING('b'), SELECTOR('e'), SPINNING('s');

    final byte code;

    Mode(char code) {
      this.code = (byte) code;
    }

    static Mode of(byte code) throws IOException {
      for (Mode mode : values()) {
        if (mode.code == code) {
          return mode;
        }
      }
      throw new IOException("unknown mode " + code);
    }

    String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** A connection's socket in one mode: blocking, or non-blocking with a selector, or non-blocking alone. */
  private record Endpoint(SocketChannel channel, Selector selector) implements AutoCloseable {
    static Endpoint of(SocketChannel channel, Mode mode) throws IOException {
      channel.configureBlocking(mode == Mode.BLOCKING);
      Selector selector = null;
      if (mode == Mode.SELECTOR) {
        selector = Selector.open();
        channel.register(selector, SelectionKey.OP_READ);
      }
      return new Endpoint(channel, selector);
    }

    @Override
    public void close() throws IOException {
      try (channel) {
        if (selector != null) {
          selector.close();
        }
      }
    }
  }

  public static void main(String[] args) throws Exception {
    try {
      run(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
    }
  }

  private static void run(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("echo")) {
      echo(Path.of(args[1]));
      return;
    }
    if (args.length != 2) {
      throw usage("expected ROUNDS COUNT, got " + args.length + " argument(s)");
    }
    int rounds = bounded("ROUNDS", args[0], 1, MAX_ROUNDS);
    int count = bounded("COUNT", args[1], 100, MAX_COUNT);
    String source = sourceFile();
    Path dir = Files.createTempDirectory("wake-floor");
    Path socket = dir.resolve("echo.sock");
    Process echo = null;
    try {
      echo = startEcho(source, socket);
      awaitSocket(socket, echo);
      Mode[] modes = Mode.values();
      double[][] p50 = new double[modes.length][rounds];
      System.out.printf("Unix-domain round trip of a %d-byte message between two JVMs, %d per mode and round, µs%n",
          MESSAGE, count);
      for (int round = 0; round < rounds; round++) {
        for (int i = 0; i < modes.length; i++) {
          Mode mode = modes[(round + i) % modes.length];
          long[] micros = measure(socket, mode, count);
          Arrays.sort(micros);
          p50[mode.ordinal()][round] = percentile(micros, 50);
          System.out.printf("round %d/%d %-9s p50 %6.1f  p90 %6.1f  p99 %7.1f%n", round + 1, rounds, mode.label(),
              percentile(micros, 50), percentile(micros, 90), percentile(micros, 99));
        }
      }
      System.out.println("median of the rounds' p50 (range):");
      for (Mode mode : modes) {
        System.out.printf("  %-9s %s%n", mode.label(), summary(p50[mode.ordinal()]));
      }
      for (Mode sleeping : new Mode[] {Mode.BLOCKING, Mode.SELECTOR}) {
        double[] wakeUps = new double[rounds];
        for (int round = 0; round < rounds; round++) {
          wakeUps[round] = (p50[sleeping.ordinal()][round] - p50[Mode.SPINNING.ordinal()][round]) / 2;
        }
        System.out.printf("one wake-up, %s (half of its round trip minus the spinning one, per round): %s µs%n",
            sleeping.label(), summary(wakeUps));
      }
    } finally {
      if (echo != null) {
        echo.destroy();
        echo.waitFor(5, TimeUnit.SECONDS);
        echo.destroyForcibly();
      }
      Files.deleteIfExists(socket);
      Files.deleteIfExists(dir);
    }
  }

  /** COUNT round trips after COUNT/4 unmeasured ones on a new connection; each entry in µs. */
  private static long[] measure(Path socket, Mode mode, int count) throws IOException {
    try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        Endpoint endpoint = Endpoint.of(sendMode(channel, mode), mode)) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(MESSAGE);
      long limit = System.nanoTime() + MEASUREMENT_LIMIT_NANOS;
      long[] micros = new long[count];
      for (int i = -count / 4; i < count; i++) {
        long start = System.nanoTime();
        buffer.clear();
        buffer.putLong(0, i);
        writeAll(channel, buffer, limit);
        if (!readFully(endpoint, buffer, limit)) {
          throw new IOException("the echo JVM closed the connection");
        }
        if (buffer.getLong(0) != i) {
          throw new IOException("the echo answered " + buffer.getLong(0) + " to message " + i);
        }
        if (i >= 0) {
          micros[i] = (System.nanoTime() - start) / 1000;
        }
      }
      return micros;
    }
  }

  /** Tells the echo JVM the mode of {@code channel}, a new connection, by its first byte. */
  private static SocketChannel sendMode(SocketChannel channel, Mode mode) throws IOException {
    ByteBuffer code = ByteBuffer.wrap(new byte[] {mode.code});
    while (code.hasRemaining()) {
      channel.write(code);
    }
    return channel;
  }

  /** The echo JVM: one connection at a time; its first byte says the mode; ends with the parent. */
  private static void echo(Path socket) throws IOException {
    ProcessHandle.current().parent().ifPresent(parent -> parent.onExit().thenRun(() -> System.exit(0)));
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(socket), 1);
      while (true) {
        SocketChannel channel = server.accept();
        ByteBuffer code = ByteBuffer.allocate(1);
        if (channel.read(code) != 1) {
          channel.close();
          continue;
        }
        try (Endpoint endpoint = Endpoint.of(channel, Mode.of(code.get(0)))) {
          ByteBuffer buffer = ByteBuffer.allocateDirect(MESSAGE);
          while (readFully(endpoint, buffer, System.nanoTime() + MEASUREMENT_LIMIT_NANOS)) {
            writeAll(channel, buffer, System.nanoTime() + MEASUREMENT_LIMIT_NANOS);
          } // the parent closed this connection: the next mode comes on a new one
        }
      }
    }
  }

  private static void writeAll(SocketChannel channel, ByteBuffer buffer, long limit) throws IOException {
    buffer.limit(MESSAGE).position(0);
    while (buffer.hasRemaining()) {
      if (channel.write(buffer) == 0 && System.nanoTime() - limit > 0) {
        throw new IOException("the write did not finish within the measurement's limit");
      }
    }
  }

  /** A whole message into {@code buffer}; false on end of stream before its first byte. */
  private static boolean readFully(Endpoint endpoint, ByteBuffer buffer, long limit) throws IOException {
    buffer.limit(MESSAGE).position(0);
    long spins = 0;
    while (buffer.hasRemaining()) {
      int n = endpoint.channel().read(buffer);
      if (n < 0) {
        if (buffer.position() == 0) {
          return false;
        }
        throw new IOException("the connection ended within a message");
      }
      if (n > 0) {
        continue;
      }
      long left = limit - System.nanoTime();
      if (endpoint.selector() != null && left > 0) {
        endpoint.selector().select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        endpoint.selector().selectedKeys().clear();
      } else if ((++spins & 0x3ff) == 0 && left < 0) {
        throw new IOException("no message within the measurement's limit");
      }
    }
    return true;
  }

  private static Process startEcho(String source, Path socket) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>();
    command.add(java);
    command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments()); // the same JIT and GC flags
    command.addAll(List.of(source, "echo", socket.toString()));
    return new ProcessBuilder(command).inheritIO().start();
  }

  /** This program's source file, which the echo JVM runs too (the source launcher's own file). */
  private static String sourceFile() {
    String file = System.getProperty("wakefloor.source");
    if (file == null) {
      throw usage("run through bin/bench-wake-floor (it passes -Dwakefloor.source)");
    }
    return file;
  }

  private static void awaitSocket(Path socket, Process echo) throws IOException, InterruptedException {
    long limit = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!Files.exists(socket)) {
      if (!echo.isAlive()) {
        throw new IOException("the echo JVM exited with " + echo.exitValue());
      }
      if (System.nanoTime() - limit > 0) {
        throw new IOException("the echo JVM did not listen within 30 s");
      }
      Thread.sleep(20);
    }
  }

  /** The {@code p}th percentile of {@code sorted}, sorted ascending. */
  private static double percentile(long[] sorted, double p) {
    return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p / 100 * sorted.length) - 1)];
  }

  private static String summary(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return String.format("%.1f (%.1f-%.1f)", median, sorted[0], sorted[n - 1]);
  }

  private static int bounded(String name, String value, int min, int max) {
    try {
      int n = Integer.parseInt(value);
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw usage(name + " must be a whole number from " + min + " to " + max + ", got: " + value);
  }

  private static IllegalArgumentException usage(String why) {
    return new IllegalArgumentException("WakeFloor: " + why + " (usage: bin/bench-wake-floor [ROUNDS] [COUNT])");
  }
}
