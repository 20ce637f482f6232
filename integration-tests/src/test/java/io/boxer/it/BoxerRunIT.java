package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxer.examples.echo.EchoClient;
import io.boxer.examples.echo.EchoServer;
import io.boxer.netlab.HostProcess;
import io.boxer.netlab.LabSpec;
import io.boxer.netlab.NatProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code boxer run} as a launcher, in one lab: the child's environment, barrier and ready file, signal
 * forwarding and exit codes, and a second node behind a member's address (a virtual one). Long-running
 * members sit on fn1 (behind a NAT) and vm1 (public); every other test uses a host of its own.
 */
@Tag("lab")
class BoxerRunIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final String PORT = "5000";
  private static BoxerLab lab;

  @BeforeAll
  static void startLabAndMembers() throws Exception {
    lab = BoxerLab.start(LabSpec.builder().functions(4).vms(1).profile(NatProfile.LAMBDA).build());
    HostProcess fnServer = lab.run("fn1-server", lab.host("fn1"), null, EchoServer.class, PORT);
    HostProcess vmServer = lab.run("vm1-server", lab.host("vm1"), null, EchoServer.class, PORT);
    fnServer.awaitLine(l -> l.equals("listening on " + PORT), START);
    vmServer.awaitLine(l -> l.equals("listening on " + PORT), START);
  }

  @AfterAll
  static void stopLab() throws Exception {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void secondNodeBehindAMemberAddress_joinsAtAVirtualAddress_andReachesMembersThroughTheRelay() throws Exception {
    // fn1 already runs a server's node: a second node behind the same NAT address joins with a virtual address
    // (the seed used to refuse it; docs/relay.md, "Several functions behind one NAT")
    HostProcess second = lab.run("fn1-second", lab.host("fn1"), 3, EchoClient.class, external("vm1"), PORT, "x",
        "20000");

    assertThat(second.awaitExit(START)).as(second.output()).isZero();
    assertThat(second.output()).contains("relayOnly=true").contains("addr=/"
        + BoxerLab.VIRTUAL_RANGE.substring(0, BoxerLab.VIRTUAL_RANGE.lastIndexOf('.') + 1))
        .contains("reply: echo x from 127.0.0.1:");
  }

  @Test
  void sigterm_isForwardedToTheCommand_whoseExitCodeBecomesBoxers() throws Exception {
    assertSignalIsForwarded("TERM", "fn2");
  }

  @Test
  void sigint_isForwardedToTheCommand_whoseExitCodeBecomesBoxers() throws Exception {
    assertSignalIsForwarded("INT", "fn3");
  }

  private static void assertSignalIsForwarded(String signal, String host) throws Exception {
    HostProcess run = lab.start(host + "-trap", lab.host(host), List.of("run", "--seed", lab.seedAddress(), "--",
        "sh", "-c", "trap 'echo got-" + signal + "; exit 42' " + signal + "; echo ready; while true; do sleep 0.1; done"));
    run.awaitLine(l -> l.equals("ready"), START);

    run.signal(signal);

    assertThat(run.awaitExit(START)).as(run.output()).isEqualTo(42);
    assertThat(run.output()).contains("got-" + signal).contains("Left the cluster");
  }

  @Test
  void command_getsTheNodesEnvironment_afterTheBarrier_andTheReadyFile_andMetrics(@TempDir Path dir)
      throws Exception {
    Path ready = Files.createTempDirectory("boxer-ready-it").resolve("ready.json");
    Path archive = lab.classDataArchive(dir.resolve("agent.jsa"));
    String scrape = "exec 3<>/dev/tcp/127.0.0.1/9464; printf 'GET /metrics HTTP/1.0\\r\\n\\r\\n' >&3; cat <&3";
    HostProcess run = lab.start("fn4-env", lab.host("fn4"), Map.of("JAVA_TOOL_OPTIONS", "-Dkeep=me"), List.of(
        "run", "--seed", lab.seedAddress(), "--members", "3", "--ready-file", ready.toString(),
        "--metrics-port", "9464", "--class-data-archive", archive.toString(), "--",
        "sh", "-c", "echo ID=$BOXER_NODE_ID; echo ADDR=$BOXER_NODE_ADDRESS; echo JTO=$JAVA_TOOL_OPTIONS;"
            + " test -S \"$BOXER_AGENT_SOCKET\" && echo SOCKET-OK; sed 's/^/PEER /' \"$BOXER_PEERS_FILE\";"
            + " echo READY=$(cat " + ready + "); "
            + String.join(" ", lab.java(EchoClient.class, external("fn1"), PORT, "metered")) + "; "
            + "bash -c \"" + scrape + "\" | grep '^boxer_' | sed 's/^/METRIC /'"));

    assertThat(run.awaitExit(START)).as(run.output()).isZero();
    String out = run.output();
    String id = run.awaitLine(l -> l.startsWith("ID="), START).substring(3);
    assertThat(out).containsPattern("waiting for members [12]/3").contains("members ready 3/3");
    assertThat(out).contains("ADDR=" + external("fn4"), "SOCKET-OK",
        "JTO=-Dkeep=me -XX:SharedArchiveFile=" + archive + " -javaagent:" + lab.agentJar());
    // every member, this node included, sorted by id (a client of an earlier test may still be leaving)
    List<String> peers = out.lines().filter(l -> l.startsWith("PEER ")).map(l -> l.substring(5)).toList();
    assertThat(peers).contains(id + " " + external("fn4") + " member");
    assertThat(peers).extracting(l -> l.split(" ")[1]).contains(external("fn1"), external("vm1"));
    assertThat(peers).extracting(l -> Long.parseLong(l.split(" ")[0])).isSorted();
    // the same, as data, for scripts: written before the command started, gone once boxer has exited
    JsonObject doc = JsonParser.parseString(run.awaitLine(l -> l.startsWith("READY="), START).substring(6))
        .getAsJsonObject();
    assertThat(doc.get("id").getAsString()).isEqualTo(id);
    assertThat(doc.get("address").getAsString()).isEqualTo(external("fn4"));
    assertThat(doc.get("members").getAsInt()).isEqualTo(3);
    assertThat(doc.getAsJsonArray("peers").asList()).extracting(p -> p.getAsJsonObject().get("address").getAsString())
        .contains(external("fn1"), external("vm1"), external("fn4"));
    assertThat(ready).doesNotExist();
    // the node's Prometheus endpoint counted the application's connect to fn1 as one prime
    assertThat(out).contains("reply: echo metered from " + external("fn4"));
    List<String> metrics = out.lines().filter(l -> l.startsWith("METRIC ")).map(l -> l.substring(7)).toList();
    assertThat(metrics).anyMatch(l -> l.matches("boxer_prime_requests_seconds_count\\{result=\"primed\"} 1(\\.0)?"))
        .anyMatch(l -> l.matches("boxer_members [1-9][0-9]*(\\.0)?"));
  }

  private static String external(String host) {
    return lab.host(host).externalAddress().getHostAddress();
  }
}
