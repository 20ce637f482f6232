package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.examples.echo.EchoClient;
import io.boxer.examples.echo.EchoServer;
import io.boxer.examples.echo.PortScan;
import io.boxer.netlab.HostProcess;
import io.boxer.netlab.LabHost;
import io.boxer.netlab.LabSpec;
import io.boxer.netlab.NatProfile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Security on by default (issue 8, points 1 to 5), through the real {@code bin/boxer} in one lab: the join
 * token, an authenticated seed, prime authorization against port scans, the connection policy, and bounded
 * surfaces. fn1 serves echo on two ports under the lab's seed and stays up; vm1 hosts extra seeds (a fake one,
 * one with a generated token, one with a policy); vm2 is a third party that must never get a packet.
 */
@Tag("lab")
class TrustIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final String PORT = "5000";
  private static final String OTHER_PORT = "6000";
  private static BoxerLab lab;
  private static HostProcess server;

  @BeforeAll
  static void startLabAndServer() throws Exception {
    lab = BoxerLab.start(LabSpec.builder().functions(6).vms(2).profile(NatProfile.LAMBDA).build());
    for (int port = 7947; port <= 7949; port++) {
      lab.allowInboundTcp("vm1", port); // the extra seeds' ports, as an EC2 inbound rule would
    }
    server = lab.start("fn1-server", lab.host("fn1"), List.of("run", "--seed", lab.seedAddress(), "--role", "backend",
        "--", "sh", "-c", String.join(" ", lab.java(EchoServer.class, PORT)) + " & "
            + String.join(" ", lab.java(EchoServer.class, OTHER_PORT)) + " & wait"));
    server.awaitLine(l -> l.equals("listening on " + PORT), START);
    server.awaitLine(l -> l.equals("listening on " + OTHER_PORT), START);
  }

  @AfterAll
  static void stopLab() throws Exception {
    if (lab != null) {
      lab.close();
    }
  }

  private static String external(String host) {
    return lab.host(host).externalAddress().getHostAddress();
  }

  @Test
  void wrongToken_isRefusedAtOnce_andLearnsNothingAboutTheCluster() throws Exception {
    long start = System.nanoTime();
    HostProcess stranger = lab.start("fn2-wrong-token", lab.host("fn2"),
        Map.of("BOXER_TOKEN", BoxerLab.newToken()),
        List.of("run", "--seed", lab.seedAddress(), "--", "sh", "-c", "echo COMMAND-RAN"));

    assertThat(stranger.awaitExit(START)).as(stranger.output()).isEqualTo(1);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).as("refused at once, not after retries")
        .isLessThan(Duration.ofSeconds(10));
    assertThat(stranger.output()).contains("join token differs from the seed's")
        .doesNotContain("COMMAND-RAN")
        .doesNotContain(external("fn1")); // not a single member address
    assertThat(lab.seed().output()).doesNotContain(external("fn2"));
  }

  @Test
  void missingToken_isAUsageError() throws Exception {
    HostProcess run = lab.start("fn2-no-token", lab.host("fn2"), Map.of("BOXER_TOKEN", ""),
        List.of("run", "--seed", lab.seedAddress(), "--", "true"));

    assertThat(run.awaitExit(START)).as(run.output()).isEqualTo(2);
    assertThat(run.output()).contains("Missing join token");
  }

  @Test
  void token_isNeitherLogged_norInTheCommandsEnvironmentOrArguments() throws Exception {
    HostProcess run = lab.start("fn3-token-hygiene", lab.host("fn3"), List.of("run", "--seed", lab.seedAddress(),
        "--", "sh", "-c", "env | sed 's/^/ENV /'; tr '\\0' ' ' < /proc/$$/cmdline | sed 's/^/ARGS /'; echo;"
            + " stat -c 'MODE %a' \"$BOXER_AGENT_SOCKET\" \"$(dirname \"$BOXER_AGENT_SOCKET\")\""));

    assertThat(run.awaitExit(START)).as(run.output()).isZero();
    assertThat(run.output()).contains("ENV BOXER_NODE_ID=").doesNotContain("BOXER_TOKEN").doesNotContain(lab.token());
    // the agent socket is the owner's alone, in a directory that is the owner's alone
    assertThat(run.output()).contains("MODE 600", "MODE 700");
    assertThat(lab.seed().output()).doesNotContain(lab.token());
    assertThat(server.output()).doesNotContain(lab.token());
  }

  @Test
  void seedWithoutAToken_generatesOne_printsItOnce_andKeepsItInAPrivateFile() throws Exception {
    Path dir = Files.createTempDirectory("boxer-token-it");
    Path tokenFile = dir.resolve("state/seed-token");
    String seed = lab.host("vm1").address().getHostAddress() + ":7947";
    HostProcess first = lab.start("vm1-generating-seed", lab.host("vm1"), Map.of("BOXER_TOKEN", ""),
        List.of("seed", "--port", "7947", "--token-file", tokenFile.toString()));
    first.awaitLine(l -> l.startsWith("boxer seed listening"), START);
    String token = Files.readString(tokenFile).strip();

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(tokenFile))).isEqualTo("rw-------");
    assertThat(first.output()).contains("generated a join token and wrote it to " + tokenFile);
    assertThat(first.output().split(Pattern.quote(token), -1)).hasSize(2); // printed exactly once

    HostProcess member = lab.start("fn4-token-file", lab.host("fn4"), Map.of("BOXER_TOKEN", ""),
        List.of("run", "--seed", seed, "--token-file", tokenFile.toString(), "--", "true"));
    assertThat(member.awaitExit(START)).as(member.output()).isZero();

    first.close();
    HostProcess again = lab.start("vm1-restarted-seed", lab.host("vm1"), Map.of("BOXER_TOKEN", ""),
        List.of("seed", "--port", "7947", "--token-file", tokenFile.toString()));
    again.awaitLine(l -> l.startsWith("boxer seed listening"), START);
    assertThat(again.output()).doesNotContain(token).doesNotContain("generated");
    again.close();
  }

  @Test
  void fakeSeed_getsRefusedBeforeAnySecret_andNoPacketReachesAThirdParty() throws Exception {
    // a seed that does not hold the cluster's token: an impostor on the path, or a wrong address
    String fake = lab.host("vm1").address().getHostAddress() + ":7948";
    HostProcess impostor = lab.start("vm1-fake-seed", lab.host("vm1"), Map.of("BOXER_TOKEN", BoxerLab.newToken()),
        List.of("seed", "--port", "7948"));
    impostor.awaitLine(l -> l.startsWith("boxer seed listening"), START);
    long synsBefore = synsReceived("vm2");

    HostProcess victim = lab.start("fn5-fake-seed", lab.host("fn5"),
        List.of("run", "--seed", fake, "--", "sh", "-c", "echo COMMAND-RAN"));

    assertThat(victim.awaitExit(START)).as(victim.output()).isEqualTo(1);
    assertThat(victim.output()).contains("does not verify under this cluster's CA").doesNotContain("COMMAND-RAN");
    assertThat(impostor.output()).doesNotContain("Member joined").doesNotContain("Rejected join");
    assertThat(synsReceived("vm2") - synsBefore).isZero();
    impostor.close();
  }

  @Test
  void connectionPolicy_refusesWhatItDoesNotAllow_andRolesAreInThePeersFile() throws Exception {
    Path policy = Files.createTempFile("boxer-policy", ".txt");
    Files.writeString(policy, "# frontends may reach the backend's echo port, nothing else\nfrontend -> backend : "
        + PORT + "\n");
    String seed = lab.host("vm1").address().getHostAddress() + ":7949";
    HostProcess policySeed = lab.start("vm1-policy-seed", lab.host("vm1"),
        List.of("seed", "--port", "7949", "--policy", policy.toString()));
    policySeed.awaitLine(l -> l.startsWith("boxer seed listening"), START);
    HostProcess backend = lab.start("fn6-backend", lab.host("fn6"), List.of("run", "--seed", seed, "--role", "backend",
        "--", "sh", "-c", String.join(" ", lab.java(EchoServer.class, PORT)) + " & "
            + String.join(" ", lab.java(EchoServer.class, OTHER_PORT)) + " & wait"));
    backend.awaitLine(l -> l.equals("listening on " + OTHER_PORT), START);

    String target = external("fn6");
    HostProcess frontend = lab.start("fn4-frontend", lab.host("fn4"), List.of("run", "--seed", seed, "--role", "frontend",
        "--members", "2", "--", "sh", "-c", "sed 's/^/PEER /' \"$BOXER_PEERS_FILE\"; "
            + String.join(" ", lab.java(EchoClient.class, target, PORT, "allowed")) + "; echo EXIT=$?; "
            + String.join(" ", lab.java(EchoClient.class, target, OTHER_PORT, "other-port")) + "; echo EXIT=$?"));
    HostProcess other = lab.start("fn5-other", lab.host("fn5"), List.of("run", "--seed", seed, "--role", "other",
        "--members", "2", "--", "sh", "-c",
        String.join(" ", lab.java(EchoClient.class, target, PORT, "not-allowed")) + "; echo EXIT=$?"));

    assertThat(frontend.awaitExit(START)).as(frontend.output()).isZero();
    assertThat(other.awaitExit(START)).as(other.output()).isZero();
    assertThat(frontend.output()).contains("reply: echo allowed from " + external("fn4"));
    assertThat(NodeLog.commandOutput(frontend.output())).containsPattern("refused after \\d+ ms: Connection refused\\s+EXIT=3");
    assertThat(NodeLog.commandOutput(other.output())).containsPattern("refused after \\d+ ms: Connection refused\\s+EXIT=3");
    assertThat(frontend.output()).contains(" " + target + " backend", " " + external("fn4") + " frontend");
    backend.close();
    policySeed.close();
  }

  @Test
  void portScan_learnsAtMostTheRefusalRateLimit() throws Exception {
    HostProcess scanner = lab.start("fn3-scanner", lab.host("fn3"), List.of("run", "--seed", lab.seedAddress(),
        "--members", "2", "--", "sh", "-c", String.join(" ", lab.java(PortScan.class, external("fn1"), "7001", "7400", "2000"))));

    assertThat(scanner.awaitExit(START)).as(scanner.output()).isZero();
    Matcher scan = Pattern.compile("scan ports=400 open=0 refused=(\\d+) failed=(\\d+) timeout=0 elapsed_ms=(\\d+)")
        .matcher(scanner.output());
    assertThat(scan.find()).as(scanner.output()).isTrue();
    int refused = Integer.parseInt(scan.group(1));
    long elapsedMs = Long.parseLong(scan.group(3));
    // a burst of 100 plus 20 per second: the rest of the ports tell the scanner nothing
    assertThat(refused).isBetween(100, 100 + (int) (20 * elapsedMs / 1000) + 5);
    assertThat(Integer.parseInt(scan.group(2))).isEqualTo(400 - refused);
    assertThat(scanner.output()).contains("first-failure Boxer: priming " + external("fn1"), "(rate limit)");
    // and the scanned node's log says so at a bounded rate, not once per port
    assertThat(server.output().lines().filter(l -> l.contains("rate limit")).count()).isLessThanOrEqualTo(20);
  }

  @Test
  void idleConnectionsToTheSeed_doNotStopItFromServingNewMembers() throws Exception {
    // strangers that connect and never speak: they cost the seed a socket each, no thread, and no member
    HostProcess flood = lab.runWithoutBoxer("vm2-flood", lab.host("vm2"),
        Path.of(System.getProperty("java.home"), "bin", "java"), lab.file("integration-tests/target/test-classes"),
        IdleConnections.class.getName(), lab.host("seed").address().getHostAddress(),
        Integer.toString(BoxerLab.SEED_PORT), "500", "30");
    flood.awaitLine(l -> l.startsWith("holding "), START);
    HostProcess member = lab.start("fn2-during-flood", lab.host("fn2"),
        List.of("run", "--seed", lab.seedAddress(), "--members", "2", "--", "true"));

    assertThat(member.awaitExit(START)).as(member.output()).isZero();
    long seedPid = lab.pids("seed").get(0);
    assertThat(threads(seedPid)).as("seed threads with 500 idle connections").isLessThan(100);
    flood.close();
  }

  private static long threads(long pid) throws IOException {
    try (var tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      return tasks.count();
    }
  }

  /** TCP SYNs that arrived at {@code host} so far, counted by a rule at the top of its INPUT chain. */
  private static long synsReceived(String host) throws IOException, InterruptedException {
    LabHost inHost = lab.host(host);
    Process list = inHost.processBuilder("iptables", "-L", "INPUT", "-v", "-x", "-n").start();
    String rules = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    list.waitFor();
    if (!rules.contains("boxer-it-syn-count")) {
      inHost.processBuilder("iptables", "-I", "INPUT", "1", "-p", "tcp", "--syn",
          "-m", "comment", "--comment", "boxer-it-syn-count").inheritIO().start().waitFor();
      return 0;
    }
    return rules.lines().filter(l -> l.contains("boxer-it-syn-count")).findFirst()
        .map(l -> Long.parseLong(l.strip().split("\\s+")[0])).orElseThrow();
  }
}
