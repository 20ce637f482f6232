package io.boxer.examples.echo;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Measures TCP connection setup as an application sees it: {@code ConnectProbe HOST PORT COUNT [WARMUP [PAUSE_MS
 * [CPU_OF]]]} opens and closes COUNT connections one after another (after WARMUP unmeasured ones, default 20;
 * PAUSE_MS milliseconds apart, default 0, as a service that connects now and then rather than in a tight loop) and
 * prints percentiles of the time {@code Socket.connect} took, in microseconds, over all of them and over the last
 * half alone (after the JVMs involved have compiled their hot code).
 *
 * <p>It also prints the CPU time (user + system) that this JVM used per measured connect, {@code cpu_us_self}, and
 * that of each process CPU_OF names, {@code cpu_us_NAME}: {@code NAME=PID[,NAME=PID...]}, where PID may be
 * {@code parent} (e.g. {@code nodeA=parent,nodeB=4242}: under {@code boxer run} the parent is the node). A process's
 * whole CPU over the measured connects counts, its idle work too. Knows nothing of Boxer. Bounded: at most 10,000
 * connections, each with a 5 s connect timeout, at most 1000 ms apart.
 */
public final class ConnectProbe {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z][a-zA-Z0-9]{0,31}");

  public static void main(String[] args) throws IOException {
    if (args.length < 3 || args.length > 6) {
      throw new IllegalArgumentException("expected: HOST PORT COUNT [WARMUP [PAUSE_MS [CPU_OF]]], got "
          + args.length + " argument(s)");
    }
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
    Map<String, ProcessHandle> cpuOf = cpuOf(args.length > 5 ? args[5] : "");
    for (int i = 0; i < warmup; i++) {
      connectOnce(target);
      pause(pauseMillis);
    }
    Map<String, Duration> cpuBefore = cpu(cpuOf);
    long[] micros = new long[count];
    for (int i = 0; i < count; i++) {
      micros[i] = connectOnce(target);
      pause(pauseMillis);
    }
    Map<String, Duration> cpuAfter = cpu(cpuOf);
    // the last half alone: a JVM compiles its hot code over the first connects, here and in a node under Boxer
    long[] lastHalf = Arrays.copyOfRange(micros, count / 2, count);
    Arrays.sort(micros);
    Arrays.sort(lastHalf);
    StringBuilder cpuFields = new StringBuilder();
    cpuAfter.forEach((name, after) -> {
      Duration before = cpuBefore.get(name);
      if (before != null) {
        cpuFields.append(" cpu_us_").append(name).append('=').append(after.minus(before).toNanos() / 1000 / count);
      }
    });
    System.out.printf("connects=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d last_half_p50_micros=%d "
            + "last_half_p90_micros=%d last_half_p99_micros=%d%s%n",
        count, at(micros, 0.50), at(micros, 0.90), at(micros, 0.99), micros[count - 1], at(lastHalf, 0.50),
        at(lastHalf, 0.90), at(lastHalf, 0.99), cpuFields);
  }

  /** This JVM as "self", and the processes {@code spec} names ({@code NAME=PID|parent,...}). */
  static Map<String, ProcessHandle> cpuOf(String spec) {
    Map<String, ProcessHandle> processes = new LinkedHashMap<>();
    processes.put("self", ProcessHandle.current());
    if (spec.isEmpty()) {
      return processes;
    }
    for (String entry : spec.split(",", -1)) {
      int eq = entry.indexOf('=');
      String name = eq < 0 ? "" : entry.substring(0, eq);
      String pid = eq < 0 ? "" : entry.substring(eq + 1);
      if (!NAME.matcher(name).matches() || processes.containsKey(name)) {
        throw new IllegalArgumentException("CPU_OF : '" + entry + "' (expected: NAME=PID or NAME=parent, the NAME"
            + " a letter and up to 31 letters or digits, each once, not 'self')");
      }
      Optional<ProcessHandle> process = pid.equals("parent") ? ProcessHandle.current().parent() : process(pid);
      processes.put(name, process.orElseThrow(() -> new IllegalArgumentException(
          "CPU_OF : '" + entry + "' (no such process)")));
    }
    return processes;
  }

  private static Optional<ProcessHandle> process(String pid) {
    try {
      return ProcessHandle.of(Long.parseLong(pid));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("CPU_OF : PID '" + pid + "' (expected: a process id or 'parent')");
    }
  }

  /** Each process's CPU time so far; a process whose time cannot be read (gone, not permitted) is left out. */
  private static Map<String, Duration> cpu(Map<String, ProcessHandle> processes) {
    Map<String, Duration> times = new LinkedHashMap<>();
    processes.forEach((name, process) -> process.info().totalCpuDuration().ifPresent(t -> times.put(name, t)));
    return times;
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
