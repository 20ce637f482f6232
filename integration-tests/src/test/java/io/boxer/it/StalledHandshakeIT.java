package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.examples.echo.ConnectLoop;
import io.boxer.examples.echo.EchoServer;
import io.boxer.netlab.HostProcess;
import io.boxer.netlab.LabHost;
import io.boxer.netlab.LabSpec;
import io.boxer.netlab.NatProfile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A primed connect whose handshake stalls is started again from another port (docs/reliability.md, "A stalled
 * handshake"), on JDK 17 (fn2) and JDK 25 (fn3). Each client's NAT drops every SYN-ACK of the first connection
 * from fn1's echo server (iptables marks the connection of the first such SYN-ACK and drops that connection's
 * SYN-ACKs), so the application's first connect would wait for its whole timeout and fail; with Boxer it is
 * aborted after the stall time, bound to a new port, primed again and connected: every attempt succeeds, the first
 * within a second, and the drop rules show they did drop those first handshakes' SYN-ACKs.
 */
@Tag("lab")
class StalledHandshakeIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final String PORT = "5000";
  private static final int TIMEOUT_MILLIS = 8000;

  @Test
  void connectWhoseSynAckIsLost_startsAgainFromAnotherPort_andSucceedsAtOnce_onJdk17And25() throws Exception {
    try (BoxerLab lab = BoxerLab.start(LabSpec.builder().functions(3).vms(0).profile(NatProfile.LAMBDA).build())) {
      LabHost fn1 = lab.host("fn1");
      HostProcess server = lab.run("fn1-server", fn1, null, EchoServer.class, PORT);
      server.awaitLine(l -> l.equals("listening on " + PORT), START);
      Path jdk25 = Path.of(System.getProperty("boxer.jdk25.java", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));
      Map<String, Path> clients = Map.of("fn2", lab.appJava(), "fn3", jdk25);
      for (Map.Entry<String, Path> client : clients.entrySet()) {
        dropFirstHandshakesSynAcks(lab.host(client.getKey()), fn1);
      }
      List<HostProcess> loops = new ArrayList<>();
      for (Map.Entry<String, Path> client : clients.entrySet()) {
        loops.add(lab.run(client.getKey() + "-client", lab.host(client.getKey()), 3, client.getValue(),
            lab.file("examples/target/boxer-examples.jar"), ConnectLoop.class.getName(),
            fn1.externalAddress().getHostAddress(), PORT, "100", "3", String.valueOf(TIMEOUT_MILLIS)));
      }
      for (HostProcess loop : loops) {
        assertThat(loop.awaitExit(START)).as(loop.output()).isZero();
        List<String> attempts = loop.output().lines().filter(l -> l.startsWith("attempt ")).toList();
        assertThat(attempts).as(loop.output()).hasSizeGreaterThan(1).allMatch(l -> l.contains(" ok echo ping"));
        long firstMillis = Long.parseLong(attempts.get(0).split(" ")[2]);
        assertThat(firstMillis).as(attempts.get(0)).isLessThan(1000); // the kernel alone would still be waiting
      }
      for (String client : clients.keySet()) {
        assertThat(droppedPackets(lab.host(client))).as("SYN-ACKs dropped on " + client + "'s NAT").isPositive();
      }
    }
  }

  /**
   * On {@code client}'s NAT: the first SYN-ACK from {@code server}'s echo server marks its connection, whose
   * SYN-ACKs (retransmissions included) are then dropped; later connections pass.
   */
  private static void dropFirstHandshakesSynAcks(LabHost client, LabHost server) throws Exception {
    List<String> synAckFromServer = List.of("-p", "tcp", "--tcp-flags", "SYN,ACK", "SYN,ACK",
        "-s", server.externalAddress().getHostAddress(), "--sport", PORT);
    run(client.natCommand(rule("DROP", synAckFromServer, "-m", "connmark", "--mark", "0x1/0x1", "-j", "DROP")));
    run(client.natCommand(rule("MARK", synAckFromServer, "-m", "statistic", "--mode", "nth", "--every", "1000000",
        "--packet", "0", "-j", "CONNMARK", "--set-xmark", "0x1/0x1")));
  }

  /** {@code iptables -I FORWARD 1 <match> <extra>}; the rule inserted last comes first. */
  private static List<String> rule(String what, List<String> match, String... extra) {
    List<String> command = new ArrayList<>(List.of("iptables", "-I", "FORWARD", "1"));
    command.addAll(match);
    command.addAll(List.of(extra));
    command.addAll(List.of("-m", "comment", "--comment", "stalled-handshake-" + what));
    return command;
  }

  /** The packet count of the DROP rule on {@code client}'s NAT. */
  private static long droppedPackets(LabHost client) throws Exception {
    Process listing = new ProcessBuilder(client.natCommand(List.of("iptables", "-L", "FORWARD", "-v", "-x", "-n")))
        .redirectErrorStream(true).start();
    String rules = new String(listing.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(listing.waitFor()).as(rules).isZero();
    return rules.lines().filter(l -> l.contains("stalled-handshake-DROP"))
        .mapToLong(l -> Long.parseLong(l.trim().split("\\s+")[0])).sum();
  }

  private static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
  }
}
