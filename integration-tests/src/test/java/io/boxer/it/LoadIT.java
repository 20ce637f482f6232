package io.boxer.it;

import static io.boxer.testing.Waits.awaitAtMost;

import io.boxer.examples.echo.EchoServer;
import io.boxer.examples.load.ConnectLoad;
import io.boxer.examples.load.LoadReport;
import io.boxer.examples.load.ProcCounts;
import io.boxer.netlab.HostProcess;
import io.boxer.netlab.LabSpec;
import io.boxer.netlab.NatProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 8, load: 64 threads × 100 connects from one function to another under Boxer ({@code lambda} NATs, no
 * loss) all succeed, and neither the two programs nor the two nodes leak: each process's descriptor and
 * thread counts after the load (and a short settle) exceed those before it by at most a small constant, where
 * a leak of one descriptor or thread per connect would add thousands. The server and both nodes are counted
 * from outside through {@code /proc/PID}; the client counts itself ({@link ConnectLoad}).
 */
@Tag("lab")
class LoadIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final Duration LOAD = Duration.ofSeconds(180);
  private static final String PORT = "5000";
  private static final int THREADS = 64;
  private static final int PER_THREAD = 100;
  /** Growth allowed per process: JIT and GC threads, a timer, a pooled connection; never per connect. */
  private static final int SLACK = 12;
  private static final Duration SETTLE = Duration.ofSeconds(10);
  private static BoxerLab lab;
  private static Path gates;

  @BeforeAll
  static void startLab() throws Exception {
    lab = BoxerLab.start(LabSpec.builder().functions(2).vms(0).profile(NatProfile.LAMBDA).build());
    gates = Gates.create("boxer-load-it");
  }

  @AfterAll
  static void stopLab() throws Exception {
    try {
      if (lab != null) {
        lab.close();
      }
    } finally {
      Gates.delete(gates);
    }
  }

  @Test
  void sixtyFourThreadsOfHundredConnects_allSucceed_andNothingLeaks() throws Exception {
    Path start = gates.resolve("start");
    Path exit = gates.resolve("exit");
    HostProcess server = lab.run("fn1-server", lab.host("fn1"), 2, EchoServer.class, PORT);
    HostProcess client = lab.run("fn2-load", lab.host("fn2"), 2, ConnectLoad.class,
        external("fn1"), PORT, Integer.toString(THREADS), Integer.toString(PER_THREAD),
        "--warmup", "1", "--timeout-ms", "10000", "--deadline-s", "120", "--settle-ms", "2000",
        "--start-file", start.toString(), "--exit-file", exit.toString(), "--wait-s", "300");
    server.awaitLine(l -> l.equals("listening on " + PORT), START);
    client.awaitLine(l -> l.equals("connectload ready"), START);

    Map<String, Long> pids = new LinkedHashMap<>();
    pids.put("server app", HostProcesses.app(lab, "fn1", EchoServer.class));
    pids.put("server node", server.pid());
    pids.put("client node", client.pid());
    Thread.sleep(1000); // the warm-up's server threads end
    Map<String, ProcCounts> before = new LinkedHashMap<>();
    pids.forEach((name, pid) -> before.put(name, ProcCounts.of(pid)));

    Files.createFile(start);
    client.awaitLine(l -> l.startsWith(LoadReport.PREFIX), LOAD);
    Map<String, ProcCounts> after = new LinkedHashMap<>();
    for (Map.Entry<String, Long> p : pids.entrySet()) {
      after.put(p.getKey(), settled(p.getValue(), before.get(p.getKey())));
    }
    Files.createFile(exit);
    int exitCode = client.awaitExit(START);

    LoadReport report = LoadReport.parse(client.output());
    before.put("client app", report.before());
    after.put("client app", report.after());
    System.out.printf("LoadIT: %d × %d connects in %d ms: %s; connect %s; round trip %s%n", THREADS, PER_THREAD,
        report.elapsedMillis(), report.outcomes(), report.connectMicros(), report.roundTripMicros());
    before.forEach((name, counts) -> System.out.printf("LoadIT: %-11s before %s, after %s%n", name, counts,
        after.get(name)));

    // every connect the program makes must succeed, the first (cold, all threads at once) round included;
    // soft: one run shows failed connects and leaks together
    SoftAssertions.assertSoftly(softly -> {
      softly.assertThat(client.output()).as("warm-up").contains("connectload warmup ok=" + THREADS + " failed=0");
      softly.assertThat(exitCode).as(client.output()).isZero();
      softly.assertThat(report.outcomes().ok()).as(report.line()).isEqualTo(THREADS * PER_THREAD);
      for (String name : before.keySet()) {
        softly.assertThat(after.get(name).fds())
            .as(name + " descriptors: before %s, after %s", before.get(name), after.get(name))
            .isLessThanOrEqualTo(before.get(name).fds() + SLACK);
        softly.assertThat(after.get(name).threads())
            .as(name + " threads: before %s, after %s", before.get(name), after.get(name))
            .isLessThanOrEqualTo(before.get(name).threads() + SLACK);
      }
    });
  }

  /**
   * The counts of {@code pid} once they are back within {@link #SLACK} of {@code before}, or after {@link
   * #SETTLE} if they never are (a leak): what is still closing gets that long to finish.
   */
  private static ProcCounts settled(long pid, ProcCounts before) {
    // a leak: the caller's assertion shows the counts
    awaitAtMost(SETTLE, Duration.ofSeconds(1), Duration.ofMillis(500), () -> {
      ProcCounts now = ProcCounts.of(pid);
      return now.fds() <= before.fds() + SLACK && now.threads() <= before.threads() + SLACK;
    });
    return ProcCounts.of(pid);
  }

  private static String external(String host) {
    return lab.host(host).externalAddress().getHostAddress();
  }
}
