package io.boxer.netlab.wancheck;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxer.netlab.Lab;
import io.boxer.netlab.LabException;
import io.boxer.netlab.LabHost;
import io.boxer.netlab.LabPreconditions;
import io.boxer.netlab.LabSpec;
import io.boxer.netlab.WanSpec;
import io.boxer.netlab.WanStatus;
import io.boxer.netlab.wan.WanProbe;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/wan-check}: validates the lab's WAN emulation (docs/wan.md). For no delay and then each rtt
 * asked for, a fresh lab (1 function, 2 VMs, the rate cap on the function) and, in it: a TCP ping-pong
 * function→VM and VM→VM (p50/p90/p99/min against the configured rtt), a bulk transfer function→VM (against
 * the cap), and the delayer's CPU time per 1000 packets from {@code /proc/PID/stat} over each phase. Prints a
 * Markdown report. A benchmark that prints figures, not a test: it asserts nothing.
 *
 * <pre>
 * WanCheck [--rtts 0.2ms,0.5ms,2ms] [--jitter 0] [--round-trips 2000] [--seconds 5] [--rate-mbit 620]
 * </pre>
 *
 * Exit codes: 0 done, 1 a lab or a probe failed, 2 usage error.
 */
public final class WanCheck {
  private static final int PORT = 7500;

  private WanCheck() {}

  /** The validated command line. */
  record Options(List<Duration> rtts, Duration jitter, int roundTrips, int seconds, int rateMbit) {
    static Options parse(String[] args) {
      List<Duration> rtts = List.of(Duration.ofNanos(200_000), Duration.ofNanos(500_000), Duration.ofMillis(2));
      int roundTrips = 2000;
      int seconds = 5;
      int rateMbit = WanSpec.LAMBDA_RATE_MBIT;
      Duration jitter = Duration.ZERO;
      for (int i = 0; i < args.length; i += 2) {
        if (i + 1 == args.length) {
          throw new IllegalArgumentException(args[i] + " : no value (expected: " + args[i] + " VALUE)");
        }
        String v = args[i + 1];
        switch (args[i]) {
          case "--rtts" -> {
            rtts = new ArrayList<>();
            for (String s : v.split(",")) {
              Duration d = WanSpec.parseDuration(s);
              new WanSpec(d, Duration.ZERO, 0); // validates the range
              if (d.isZero()) {
                throw new IllegalArgumentException("--rtts : 0 (expected: rtts > 0; no delay is always measured)");
              }
              rtts.add(d);
            }
          }
          case "--jitter" -> jitter = WanSpec.parseDuration(v);
          case "--round-trips" -> roundTrips = bounded(args[i], v, 100, 1_000_000);
          case "--seconds" -> seconds = bounded(args[i], v, 1, 600);
          case "--rate-mbit" -> rateMbit = bounded(args[i], v, 0, WanSpec.MAX_RATE_MBIT);
          default -> throw new IllegalArgumentException(args[i] + " : unknown option (expected: --rtts, --jitter,"
              + " --round-trips, --seconds or --rate-mbit)");
        }
      }
      for (Duration rtt : rtts) {
        new WanSpec(rtt, jitter, rateMbit); // a jitter above half of some rtt fails here, with the range
      }
      return new Options(List.copyOf(rtts), jitter, roundTrips, seconds, rateMbit);
    }

    private static int bounded(String option, String value, int min, int max) {
      int n;
      try {
        n = Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " : " + value + " (expected: " + min + ".." + max + ")");
      }
      if (n < min || n > max) {
        throw new IllegalArgumentException(option + " : " + n + " (expected: " + min + ".." + max + ")");
      }
      return n;
    }
  }

  public static void main(String[] args) throws Exception {
    Options o;
    try {
      o = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("wan-check: " + e.getMessage());
      System.exit(2);
      return;
    }
    try {
      LabPreconditions.checkThisProcess();
      run(o);
    } catch (LabException | IOException e) {
      System.err.println("wan-check: " + e.getMessage());
      System.exit(1);
    }
  }

  private static void run(Options o) throws IOException, InterruptedException {
    System.out.printf("# WAN check%n%nmachine: %d cores, kernel %s, load average at start %s; %d round trips of"
        + " %d bytes per path, %d s bulk transfer per lab, cap %s, jitter %s%n%n",
        Runtime.getRuntime().availableProcessors(), System.getProperty("os.version"), loadAverage(), o.roundTrips(),
        WanProbe.MESSAGE, o.seconds(),
        o.rateMbit() == 0 ? "none" : o.rateMbit() + " Mbit/s on the function's link",
        o.jitter().isZero() ? "none" : "+-" + WanSpec.format(o.jitter()) + " per one-way delay");
    List<Duration> rtts = new ArrayList<>(List.of(Duration.ZERO));
    rtts.addAll(o.rtts());
    StringBuilder rttTable = new StringBuilder(
        "| configured rtt | path | p50 us | p90 us | p99 us | min us | p50 - configured us |\n|---|---|---|---|---|---|---|\n");
    StringBuilder bulkTable = new StringBuilder(
        "| configured rtt | bulk function->VM Mbit/s | delayer CPU us/1000 pkts, ping-pong | delayer CPU us/1000 pkts,"
            + " bulk | packets delayed | dropped |\n|---|---|---|---|---|---|\n");
    for (Duration rtt : rtts) {
      WanSpec wan = new WanSpec(rtt, rtt.isZero() ? Duration.ZERO : o.jitter(), o.rateMbit());
      try (Lab lab = Lab.create(LabSpec.builder().functions(1).vms(2).wan(wan).build())) {
        lab.allowInboundTcp("vm1", PORT);
        LabHost vm1 = lab.host("vm1");
        Process server = start(vm1, "server", Integer.toString(PORT), "3600");
        try {
          awaitListening(server);
          Usage before = Usage.of(lab);
          JsonObject fnVm = probe(lab.host("fn1"), vm1, "rtt", o.roundTrips());
          JsonObject vmVm = probe(lab.host("vm2"), vm1, "rtt", o.roundTrips());
          Usage afterPingPong = Usage.of(lab);
          JsonObject bulk = probe(lab.host("fn1"), vm1, "throughput", o.seconds());
          Usage afterBulk = Usage.of(lab);
          String name = rtt.isZero() ? "0 (no delayer)" : WanSpec.format(rtt);
          long configured = rtt.toNanos() / 1000;
          for (var row : List.of(new Object[] {"function->VM", fnVm}, new Object[] {"VM->VM", vmVm})) {
            JsonObject r = (JsonObject) row[1];
            rttTable.append(String.format(Locale.ROOT, "| %s | %s | %d | %d | %d | %d | %d |%n", name, row[0],
                r.get("p50Micros").getAsLong(), r.get("p90Micros").getAsLong(), r.get("p99Micros").getAsLong(),
                r.get("minMicros").getAsLong(), r.get("p50Micros").getAsLong() - configured));
          }
          bulkTable.append(String.format(Locale.ROOT, "| %s | %.0f | %s | %s | %s | %s |%n", name,
              bulk.get("mbitPerSecond").getAsDouble(), before.cpuPerThousand(afterPingPong),
              afterPingPong.cpuPerThousand(afterBulk), afterBulk.packets().map(Object::toString).orElse("-"),
              afterBulk.dropped().map(Object::toString).orElse("-")));
          System.err.printf("wan-check: rtt %s done%n", name);
        } finally {
          server.destroyForcibly();
        }
      }
    }
    System.out.println("## Round trips (TCP_NODELAY ping-pong)\n\n" + rttTable);
    System.out.println("## Bulk transfer and the delayer's cost\n\n" + bulkTable);
    System.out.printf("load average at the end: %s%n", loadAverage());
  }

  /** The delayer's CPU time and packet count at one moment; all empty in a lab without a delayer. */
  record Usage(Optional<Long> cpuMicros, Optional<Long> packets, Optional<Long> dropped) {
    static Usage of(Lab lab) throws InterruptedException {
      Thread.sleep(1100); // the delayer rewrites its status every second
      Optional<WanStatus> s = lab.wanStatus();
      return new Usage(s.flatMap(st -> processCpuMicros(st.pid())), s.map(WanStatus::packets), s.map(WanStatus::dropped));
    }

    /** CPU microseconds per 1000 packets from this moment to {@code later}, or "-". */
    String cpuPerThousand(Usage later) {
      if (cpuMicros.isEmpty() || later.cpuMicros.isEmpty() || packets.isEmpty() || later.packets.isEmpty()) {
        return "-";
      }
      long packetCount = later.packets.get() - packets.get();
      if (packetCount <= 0) {
        return "-";
      }
      long cpu = later.cpuMicros.get() - cpuMicros.get();
      return String.format(Locale.ROOT, "%d (%d ms over %d pkts)", cpu * 1000 / packetCount, cpu / 1000, packetCount);
    }
  }

  /** utime + stime of {@code pid} in microseconds, at the clock tick's resolution (10 ms at USER_HZ 100). */
  static Optional<Long> processCpuMicros(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15 of the whole line
      return Optional.of(ticks * 1_000_000 / 100); // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return f[0] + " " + f[1] + " " + f[2];
    } catch (IOException e) {
      return "unknown";
    }
  }

  private static JsonObject probe(LabHost client, LabHost server, String mode, int amount)
      throws IOException, InterruptedException {
    Process p = start(client, mode, server.address().getHostAddress(), Integer.toString(PORT),
        Integer.toString(amount));
    String line = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String l = r.readLine(); l != null; l = r.readLine()) {
        line = l;
      }
    }
    if (!p.waitFor(600, TimeUnit.SECONDS) || p.exitValue() != 0 || line == null) {
      p.destroyForcibly();
      throw new IOException("probe " + mode + " on " + client.name() + " failed (exit "
          + (p.isAlive() ? "none" : p.exitValue()) + "): " + new String(p.getErrorStream().readAllBytes(),
              StandardCharsets.UTF_8).strip());
    }
    return JsonParser.parseString(line).getAsJsonObject();
  }

  private static Process start(LabHost host, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:+UseSerialGC", "-Xmx64m", "-cp", System.getProperty("java.class.path"), WanProbe.class.getName()));
    cmd.addAll(List.of(args));
    return host.processBuilder(cmd.toArray(String[]::new)).start();
  }

  private static void awaitListening(Process server) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String line = r.readLine();
    if (line == null || !line.startsWith("{\"listening\"")) {
      throw new IOException("probe server did not start: " + line + " "
          + new String(server.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip());
    }
  }
}
