package io.boxer.examples.load;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An ordinary load client that knows nothing of Boxer:
 * {@code ConnectLoad HOST PORT THREADS PER_THREAD [OPTIONS]}. THREADS threads each make PER_THREAD connects
 * to an {@link io.boxer.examples.echo.EchoServer}, one after another: connect, send a line, read its echo,
 * close. Prints one {@link LoadReport} line (outcomes, connect and round-trip percentiles, its own descriptor
 * and thread counts before and after) and exits 0 only if every connect succeeded, 1 otherwise, 2 on a usage
 * error.
 *
 * <p>Options: {@code --timeout-ms N} connect and read timeout of each connect (default 10000);
 * {@code --deadline-s N} bound of the counted load, connects not started by then count as unfinished (default
 * 120); {@code --warmup N} uncounted connects per thread first (default 0); {@code --settle-ms N} pause before
 * the "after" counts (default 1000); {@code --start-file PATH} print {@code connectload ready} after the
 * warm-up and start the counted load once PATH exists; {@code --exit-file PATH} after the report, exit once
 * PATH exists; {@code --wait-s N} the longest either file is waited for (default 900). Every loop is bounded
 * in count and time.
 */
public final class ConnectLoad {
  /** Failures printed one per line; the rest are only counted. */
  private static final int FAILURES_SHOWN = 20;

  private final InetSocketAddress target;
  private final int threads;
  private final int perThread;
  private final int timeoutMillis;
  private final AtomicInteger failuresShown = new AtomicInteger();

  private ConnectLoad(InetSocketAddress target, int threads, int perThread, int timeoutMillis) {
    this.target = target;
    this.threads = threads;
    this.perThread = perThread;
    this.timeoutMillis = timeoutMillis;
  }

  public static void main(String[] args) throws InterruptedException {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("ConnectLoad: " + e.getMessage());
      System.err.println("usage: ConnectLoad HOST PORT THREADS PER_THREAD [--timeout-ms N] [--deadline-s N]"
          + " [--warmup N] [--settle-ms N] [--start-file PATH] [--exit-file PATH] [--wait-s N]");
      System.exit(2);
      return;
    }
    ConnectLoad load = new ConnectLoad(new InetSocketAddress(o.host, o.port), o.threads, o.perThread, o.timeoutMillis);
    if (o.warmup > 0) {
      Tally warm = load.run(o.warmup, System.nanoTime() + TimeUnit.SECONDS.toNanos(o.deadlineSeconds), "warmup");
      System.out.println("connectload warmup ok=" + warm.ok.get() + " failed=" + (o.threads * o.warmup - warm.ok.get()));
    }
    if (o.startFile != null) {
      System.out.println("connectload ready");
      System.out.flush();
      if (!awaitFile(o.startFile, o.waitSeconds)) {
        System.out.println("connectload gave up: " + o.startFile + " did not appear within " + o.waitSeconds + " s");
        System.exit(1);
      }
    }
    ProcCounts before = ProcCounts.self();
    long start = System.nanoTime();
    Tally tally = load.run(o.perThread, start + TimeUnit.SECONDS.toNanos(o.deadlineSeconds), "load");
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    Thread.sleep(o.settleMillis);
    LoadReport report = tally.report(o.threads * o.perThread, elapsedMillis, before, ProcCounts.self());
    System.out.println("connectload connect " + report.connectMicros() + "; round trip " + report.roundTripMicros());
    System.out.println(report.line());
    System.out.flush();
    if (o.exitFile != null && !awaitFile(o.exitFile, o.waitSeconds)) {
      System.out.println("connectload: " + o.exitFile + " did not appear within " + o.waitSeconds + " s; exiting");
    }
    System.exit(report.outcomes().ok() == o.threads * o.perThread ? 0 : 1);
  }

  /** Runs {@code perThread} connects on each of the threads, none started after {@code deadline}. */
  private Tally run(int perThread, long deadline, String name) throws InterruptedException {
    Tally tally = new Tally(threads, perThread);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int index = t;
      Thread worker = new Thread(() -> {
        for (int i = 0; i < perThread && System.nanoTime() - deadline < 0; i++) {
          connectOnce(tally, index, name + "-" + index + "-" + i);
        }
      }, name + "-" + t);
      worker.setDaemon(true); // a worker stuck past every timeout must not keep the JVM alive
      workers.add(worker);
    }
    workers.forEach(Thread::start);
    // each connect ends within two timeouts (connect, then read) of its start
    long joinBy = deadline + TimeUnit.MILLISECONDS.toNanos(2L * timeoutMillis + 5000);
    for (Thread worker : workers) {
      long left = joinBy - System.nanoTime();
      if (left > 0) {
        TimeUnit.NANOSECONDS.timedJoin(worker, left);
      }
    }
    return tally;
  }

  private void connectOnce(Tally tally, int thread, String message) {
    long start = System.nanoTime();
    long connected = 0;
    try (Socket socket = new Socket()) {
      socket.connect(target, timeoutMillis);
      connected = System.nanoTime();
      socket.setSoTimeout(timeoutMillis);
      OutputStream out = socket.getOutputStream();
      out.write((message + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
      String reply = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
          .readLine();
      if (reply == null || !reply.startsWith("echo " + message + " ")) {
        tally.other.incrementAndGet();
        show("other", start, message, "unexpected reply: " + reply);
        return;
      }
    } catch (ConnectException e) {
      if (String.valueOf(e.getMessage()).contains("refused")) {
        tally.refused.incrementAndGet();
        show("refused", start, message, e.toString());
      } else {
        tally.other.incrementAndGet();
        show("other", start, message, e.toString());
      }
      return;
    } catch (SocketTimeoutException e) {
      tally.timedOut.incrementAndGet();
      show("timeout", start, message, (connected == 0 ? "connecting: " : "awaiting the echo: ") + e);
      return;
    } catch (IOException e) {
      tally.other.incrementAndGet();
      show("other", start, message, e.toString());
      return;
    }
    tally.ok(thread, (connected - start) / 1000, (System.nanoTime() - start) / 1000);
  }

  private void show(String kind, long start, String message, String detail) {
    if (failuresShown.incrementAndGet() <= FAILURES_SHOWN) {
      System.out.println("connectload failure kind=" + kind + " afterMs="
          + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " connect=" + message + " " + detail);
    }
  }

  /**
   * Waits until {@code file} exists (a gate a test creates), checking every 20 ms; false if it did not appear
   * within {@code seconds}.
   */
  public static boolean awaitFile(Path file, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!Files.exists(file)) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  /** Counts and times of one run; each thread writes only its own row of times. */
  private static final class Tally {
    final AtomicInteger ok = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger timedOut = new AtomicInteger();
    final AtomicInteger other = new AtomicInteger();
    private final long[][] connectMicros;
    private final long[][] roundTripMicros;
    private final int[] okPerThread;

    Tally(int threads, int perThread) {
      connectMicros = new long[threads][perThread];
      roundTripMicros = new long[threads][perThread];
      okPerThread = new int[threads];
    }

    void ok(int thread, long connect, long roundTrip) {
      int n = okPerThread[thread]++;
      connectMicros[thread][n] = connect;
      roundTripMicros[thread][n] = roundTrip;
      ok.incrementAndGet();
    }

    /** Read after the workers were joined (Thread.join orders their writes before this). */
    LoadReport report(int planned, long elapsedMillis, ProcCounts before, ProcCounts after) {
      int finished = ok.get() + refused.get() + timedOut.get() + other.get();
      return new LoadReport(
          new LoadReport.Outcomes(ok.get(), refused.get(), timedOut.get(), other.get(), planned - finished),
          elapsedMillis, Percentiles.of(flatten(connectMicros)), Percentiles.of(flatten(roundTripMicros)),
          before, after);
    }

    private long[] flatten(long[][] rows) {
      return java.util.stream.IntStream.range(0, rows.length)
          .mapToObj(t -> Arrays.copyOf(rows[t], okPerThread[t]))
          .flatMapToLong(Arrays::stream)
          .toArray();
    }
  }

  /** The validated command line. */
  private static final class Options {
    String host;
    int port;
    int threads;
    int perThread;
    int timeoutMillis = 10_000;
    int deadlineSeconds = 120;
    int warmup;
    int settleMillis = 1000;
    int waitSeconds = 900;
    Path startFile;
    Path exitFile;

    static Options parse(String[] args) {
      if (args.length < 4) {
        throw new IllegalArgumentException("expected HOST PORT THREADS PER_THREAD, got " + args.length + " arguments");
      }
      Options o = new Options();
      o.host = args[0];
      o.port = number("PORT", args[1], 1, 65_535);
      o.threads = number("THREADS", args[2], 1, 1024);
      o.perThread = number("PER_THREAD", args[3], 1, 100_000);
      for (int i = 4; i < args.length; i += 2) {
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException(args[i] + " : missing value");
        }
        String value = args[i + 1];
        switch (args[i]) {
          case "--timeout-ms" -> o.timeoutMillis = number("--timeout-ms", value, 1, 600_000);
          case "--deadline-s" -> o.deadlineSeconds = number("--deadline-s", value, 1, 86_400);
          case "--warmup" -> o.warmup = number("--warmup", value, 0, 100_000);
          case "--settle-ms" -> o.settleMillis = number("--settle-ms", value, 0, 600_000);
          case "--wait-s" -> o.waitSeconds = number("--wait-s", value, 1, 86_400);
          case "--start-file" -> o.startFile = Path.of(value);
          case "--exit-file" -> o.exitFile = Path.of(value);
          default -> throw new IllegalArgumentException("unknown option " + args[i]);
        }
      }
      return o;
    }

    private static int number(String name, String value, int min, int max) {
      try {
        int n = Integer.parseInt(value);
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(name + " : " + value + " (expected: an integer in " + min + ".." + max + ")");
    }
  }
}
