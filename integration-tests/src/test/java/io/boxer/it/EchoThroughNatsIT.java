package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.examples.echo.EchoClient;
import io.boxer.examples.echo.EchoServer;
import io.boxer.netlab.LabSpec;
import io.boxer.netlab.NatProfile;
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
 * The walking skeleton end to end, in one lab ({@code lambda} NATs): unmodified echo programs under
 * {@code boxer run} talk directly through the NATs. Servers run on fn2 (behind a NAT) and vm1 (public);
 * each client runs on a host of its own, so no two nodes share an external address by accident.
 */
@Tag("lab")
class EchoThroughNatsIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final String PORT = "5000";
  private static BoxerLab lab;

  @BeforeAll
  static void startLabAndServers() throws Exception {
    lab = BoxerLab.start(LabSpec.builder().functions(8).vms(2).profile(NatProfile.LAMBDA).build());
    LabProcess fnServer = lab.run("fn2-server", lab.host("fn2"), null, EchoServer.class, PORT);
    LabProcess vmServer = lab.run("vm1-server", lab.host("vm1"), null, EchoServer.class, PORT);
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
  void functionToFunction_echoesDirectlyThroughBothNats() throws Exception {
    assertEchoesDirectly("fn1", "fn2");
  }

  @Test
  void vmToFunction_echoesThroughTheFunctionsNat() throws Exception {
    assertEchoesDirectly("vm2", "fn2");
  }

  @Test
  void functionToVm_echoes() throws Exception {
    assertEchoesDirectly("fn3", "vm1");
  }

  /**
   * Runs the echo client under boxer on {@code clientHost} against the server on {@code serverHost} and checks
   * that the server saw the client's own external address: the connection came straight from the client's
   * NAT (or host), not through a relay.
   */
  private static void assertEchoesDirectly(String clientHost, String serverHost) throws Exception {
    String message = "hello-from-" + clientHost;
    LabProcess client = lab.run(clientHost + "-client", lab.host(clientHost), 3, EchoClient.class,
        external(serverHost), PORT, message);

    assertThat(client.awaitExit(START)).as(client.output()).isZero();
    assertThat(client.output()).contains("reply: echo " + message + " from " + external(clientHost) + ":");
  }

  @Test
  void withoutBoxer_theSameClientCannotReachTheFunction() throws Exception {
    // fn6 never ran a Boxer node, so nothing was ever primed for it
    LabProcess client = lab.runWithoutBoxer("fn6-plain-client", lab.host("fn6"), EchoClient.class,
        external("fn2"), PORT, "hello", "3000");

    // exit 4 = connect timed out: fn2's NAT silently drops the unsolicited SYN
    assertThat(client.awaitExit(START)).as(client.output()).isEqualTo(4);
  }

  @Test
  void connectToPortWithoutListener_isRefusedWithinTwoSeconds() throws Exception {
    LabProcess client = lab.run("fn4-client", lab.host("fn4"), 3, EchoClient.class,
        external("fn2"), "5999", "nobody-home", "10000");

    assertThat(client.awaitExit(START)).as(client.output()).isEqualTo(3);
    Matcher refused = Pattern.compile("refused after (\\d+) ms: Connection refused").matcher(client.output());
    assertThat(refused.find()).as(client.output()).isTrue();
    assertThat(Long.parseLong(refused.group(1))).isLessThan(2000);
  }

  @Test
  void secondNodeBehindAMemberAddress_isRejected() throws Exception {
    // fn2 already runs the server's node: a second node behind the same NAT address must not join
    LabProcess second = lab.run("fn2-second", lab.host("fn2"), null, EchoClient.class, external("vm1"), PORT, "x");

    assertThat(second.awaitExit(START)).as(second.output()).isEqualTo(1);
    assertThat(second.output()).contains("is already member");
    assertThat(second.output()).doesNotContain("reply:");
  }

  @Test
  void sigterm_isForwardedToTheCommand_whoseExitCodeBecomesBoxers() throws Exception {
    assertSignalIsForwarded("TERM", "fn5");
  }

  @Test
  void sigint_isForwardedToTheCommand_whoseExitCodeBecomesBoxers() throws Exception {
    assertSignalIsForwarded("INT", "fn8");
  }

  private static void assertSignalIsForwarded(String signal, String host) throws Exception {
    LabProcess run = lab.start(host + "-trap", lab.host(host), List.of("run", "--seed", lab.seedAddress(), "--",
        "sh", "-c", "trap 'echo got-" + signal + "; exit 42' " + signal + "; echo ready; while true; do sleep 0.1; done"));
    run.awaitLine(l -> l.equals("ready"), START);

    run.signal(signal);

    assertThat(run.awaitExit(START)).as(run.output()).isEqualTo(42);
    assertThat(run.output()).contains("got-" + signal).contains("Left the cluster");
  }

  @Test
  void command_getsTheNodesEnvironment_afterTheBarrier() throws Exception {
    LabProcess run = lab.start("fn7-env", lab.host("fn7"), Map.of("JAVA_TOOL_OPTIONS", "-Dkeep=me"), List.of(
        "run", "--seed", lab.seedAddress(), "--members", "3", "--",
        "sh", "-c", "echo ID=$BOXER_NODE_ID; echo ADDR=$BOXER_NODE_ADDRESS; echo JTO=$JAVA_TOOL_OPTIONS;"
            + " test -S \"$BOXER_AGENT_SOCKET\" && echo SOCKET-OK; sed 's/^/PEER /' \"$BOXER_PEERS_FILE\""));

    assertThat(run.awaitExit(START)).as(run.output()).isZero();
    String out = run.output();
    String id = run.awaitLine(l -> l.startsWith("ID="), START).substring(3);
    assertThat(out).containsPattern("waiting for members [12]/3").contains("members ready 3/3");
    assertThat(out).contains("ADDR=" + external("fn7"), "SOCKET-OK",
        "JTO=-Dkeep=me -javaagent:" + lab.agentJar());
    // every member, this node included, sorted by id (a client of an earlier test may still be leaving)
    List<String> peers = out.lines().filter(l -> l.startsWith("PEER ")).map(l -> l.substring(5)).toList();
    assertThat(peers).contains(id + " " + external("fn7"));
    assertThat(peers).extracting(l -> l.split(" ")[1]).contains(external("fn2"), external("vm1"));
    assertThat(peers).extracting(l -> Long.parseLong(l.split(" ")[0])).isSorted();
  }

  private static String external(String host) {
    return lab.host(host).externalAddress().getHostAddress();
  }
}
