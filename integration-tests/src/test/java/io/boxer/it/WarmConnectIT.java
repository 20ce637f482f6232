package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.boxer.examples.echo.EchoServer;
import io.boxer.examples.echo.GatedConnects;
import io.boxer.netlab.HostProcess;
import io.boxer.netlab.LabSpec;
import io.boxer.netlab.NatProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, item 4, through the real bin/boxer in a lab of two functions behind lambda NATs: after one cold
 * connect to a member's listener, the agent's warm port pool holds a port the member's node has primed, and
 * the repeat connects (blocking, non-blocking and asynchronous) are served from it: the node's count of
 * connect primes ({@code boxer_prime_requests}) does not grow while they succeed, only its count of pool primes
 * ({@code boxer_prime_pool}, the refills) does. When the member leaves, the pool is dropped and the application
 * JVM holds no reserved socket any more (counted in /proc/PID/fd: TCP sockets that are in no kernel table, bound
 * and unconnected).
 */
@Tag("lab")
class WarmConnectIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final String PORT = "5000";
  private static final String METRICS_PORT = "9464";
  /** The repeat connects after the cold one; they cycle through these modes. */
  private static final int WARM_CONNECTS = 6;
  private static final String MODES = "socket,nonblocking,async";
  private static BoxerLab lab;
  private static Path gates;

  @BeforeAll
  static void startLab() throws Exception {
    lab = BoxerLab.start(LabSpec.builder().functions(2).vms(0).profile(NatProfile.LAMBDA).build());
    gates = Gates.create("boxer-warm-connect-it");
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
  void repeatConnects_needNoPrime_andADroppedPoolLeavesNoReservedSocket() throws Exception {
    HostProcess server = lab.run("fn1-server", lab.host("fn1"), 2, EchoServer.class, PORT);
    List<String> client = new ArrayList<>(List.of("run", "--seed", lab.seedAddress(), "--members", "2",
        "--metrics-port", METRICS_PORT, "--"));
    client.addAll(lab.java(GatedConnects.class, MODES, external("fn1"), PORT,
        Integer.toString(WARM_CONNECTS + 1), gates.toString()));
    HostProcess app = lab.start("fn2-client", lab.host("fn2"), client);
    server.awaitLine(l -> l.equals("listening on " + PORT), START);
    long pid = Long.parseLong(app.awaitLine(l -> l.startsWith("gatedconnects pid "), START).substring(18));

    connect(app, 0); // cold: primed as it happens, and the endpoint gets a pool
    await().atMost(START).until(() -> poolPrimed() >= 1);
    double connectPrimes = connectPrimes();
    assertThat(connectPrimes).as("the cold connect").isEqualTo(1);
    assertThat(reservedSockets(pid)).as("the pool's reservation").isPositive();

    for (int i = 1; i <= WARM_CONNECTS; i++) {
      connect(app, i);
      int refills = i;
      await().atMost(START).until(() -> poolPrimed() >= 1 + refills); // the port used is replaced
    }
    // The gate opens when the node has answered the refill, a moment before the agent has read that answer:
    // a connect that got there first would be primed cold; one such race is tolerated, not more.
    double connectPrimesAfter = connectPrimes();
    System.out.printf("WarmConnectIT: connect primes %.0f after the cold connect, %.0f after %d more connects;"
        + " pool primes PRIMED %.0f; reserved sockets %d%n", connectPrimes, connectPrimesAfter, WARM_CONNECTS,
        poolPrimed(), reservedSockets(pid));
    assertThat(connectPrimesAfter).as(app.output()).isLessThanOrEqualTo(connectPrimes + 1);

    server.signal("TERM"); // the member leaves: its pools are dropped
    server.awaitExit(START);
    await().atMost(START).untilAsserted(() -> assertThat(reservedSockets(pid)).isZero());
    Files.createFile(gates.resolve("exit"));
    assertThat(app.awaitExit(START)).as(app.output()).isZero();
  }

  /** Lets the client make connect {@code i} and waits for its reply. */
  private static void connect(HostProcess app, int i) throws Exception {
    Files.createFile(gates.resolve("connect-" + i));
    String line = app.awaitLine(l -> l.startsWith("gatedconnects " + i + " "), START);
    assertThat(line).as(app.output()).contains("reply: echo warm-" + i);
  }

  /** The node's connect primes: {@code boxer_prime_requests_seconds_count}, every result. */
  private static double connectPrimes() throws Exception {
    return sum(metrics(), "boxer_prime_requests_seconds_count\\{[^}]*}");
  }

  /** The node's PRIMED pool primes: {@code boxer_prime_pool_total{result="primed"}}. */
  private static double poolPrimed() throws Exception {
    return sum(metrics(), "boxer_prime_pool_total\\{result=\"primed\"}");
  }

  /** The sum of the values of the series that {@code series} (a regex: name and labels) matches. */
  private static double sum(String metrics, String series) {
    Matcher m = Pattern.compile("(?m)^" + series + " ([0-9.eE+]+)\r?$").matcher(metrics);
    double total = 0;
    while (m.find()) {
      total += Double.parseDouble(m.group(1));
    }
    return total;
  }

  /** fn2's node's Prometheus page, fetched inside fn2 (the endpoint listens on its loopback). */
  private static String metrics() throws Exception {
    String scrape = "exec 3<>/dev/tcp/127.0.0.1/" + METRICS_PORT
        + "; printf 'GET /metrics HTTP/1.0\\r\\n\\r\\n' >&3; cat <&3";
    HostProcess p = lab.startCommand("metrics", Map.of(), lab.host("fn2").command(List.of("bash", "-c", scrape)));
    try {
      assertThat(p.awaitExit(Duration.ofSeconds(10))).as(p.output()).isZero();
      return p.output();
    } finally {
      p.close();
    }
  }

  /**
   * Sockets of process {@code pid} that are in none of its network namespace's socket tables (TCP, UDP, Unix,
   * netlink): TCP sockets bound and not connected nor listening, which is what a warm port reservation is.
   */
  static int reservedSockets(long pid) throws IOException {
    Set<String> open = new HashSet<>();
    try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      for (Path fd : fds.toList()) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            open.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException e) {
          // closed meanwhile
        }
      }
    }
    Map<String, Integer> inodeColumn = Map.of("tcp", 9, "tcp6", 9, "udp", 9, "udp6", 9, "unix", 6, "netlink", 9);
    for (Map.Entry<String, Integer> table : inodeColumn.entrySet()) {
      Path file = Path.of("/proc", Long.toString(pid), "net", table.getKey());
      if (Files.exists(file)) {
        Files.readAllLines(file).stream().skip(1).map(l -> l.trim().split("\\s+"))
            .filter(f -> f.length > table.getValue()).forEach(f -> open.remove(f[table.getValue()]));
      }
    }
    return open.size();
  }

  private static String external(String host) {
    return lab.host(host).externalAddress().getHostAddress();
  }
}
