package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonParser;
import io.boxer.netlab.HostProcess;
import io.boxer.netlab.LabSpec;
import io.boxer.netlab.NatProfile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Members that join and leave after the barrier (issue 10, item 6), through the real {@code bin/boxer}: three
 * functions pass a barrier of 3, two of them leave, and a fourth joins late with the same {@code --members 3}
 * (it goes straight on: the barrier was released, although only two members are left). The first member's
 * command learns of each change: its peers file and ready file are rewritten, and its {@code --on-change}
 * hook reports who joined and left, with the peers file already rewritten when it runs.
 */
@Tag("lab")
class ElasticMembershipIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final String IDLE = "while :; do sleep 0.2; done";
  private static BoxerLab lab;

  @BeforeAll
  static void startLab() throws Exception {
    lab = BoxerLab.start(LabSpec.builder().functions(4).vms(0).profile(NatProfile.LAMBDA).build());
  }

  @AfterAll
  static void stopLab() throws Exception {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void membersJoiningAndLeavingAfterTheBarrier_reachThePeersFile_theReadyFile_andTheHook() throws Exception {
    Path dir = Files.createTempDirectory("boxer-elastic-it");
    Path ready = dir.resolve("fn1.ready.json");
    Path hookLog = dir.resolve("hook.log");
    String hook = "{ echo \"CHANGE $BOXER_MEMBERS\"; printf '%s' \"$BOXER_JOINED\" | sed 's/^/JOINED /';"
        + " printf '%s' \"$BOXER_LEFT\" | sed 's/^/LEFT /'; sed 's/^/FILE /' \"$BOXER_PEERS_FILE\"; } >> " + hookLog;
    HostProcess first = lab.start("fn1-first", lab.host("fn1"), List.of("run", "--seed", lab.seedAddress(),
        "--members", "3", "--ready-file", ready.toString(), "--on-change", hook, "--",
        "sh", "-c", "echo ID=$BOXER_NODE_ID; echo PEERS=$BOXER_PEERS_FILE; " + IDLE));
    HostProcess second = member("fn2");
    HostProcess third = member("fn3");
    String firstId = id(first);
    String secondId = id(second);
    String thirdId = id(third);
    Path peers = Path.of(first.awaitLine(l -> l.startsWith("PEERS="), START).substring(6));
    assertThat(Files.readAllLines(peers)).containsExactlyInAnyOrder(line(firstId, "fn1"), line(secondId, "fn2"),
        line(thirdId, "fn3"));

    // two leave: the first member's list shrinks to itself
    second.signal("TERM");
    third.signal("TERM");
    assertThat(second.awaitExit(START)).as(second.output()).isEqualTo(143);
    assertThat(third.awaitExit(START)).as(third.output()).isEqualTo(143);
    await().atMost(START).until(() -> Files.readAllLines(peers).equals(List.of(line(firstId, "fn1"))));

    // a late member with the same barrier goes straight on, and the first member learns of it
    HostProcess late = lab.start("fn4-late", lab.host("fn4"), List.of("run", "--seed", lab.seedAddress(),
        "--members", "3", "--barrier-timeout", "60", "--", "sh", "-c",
        "echo ID=$BOXER_NODE_ID; sed 's/^/PEER /' \"$BOXER_PEERS_FILE\"; " + IDLE));
    String lateId = id(late);
    assertThat(late.awaitLine(l -> l.startsWith("PEER " + lateId), START)).isEqualTo("PEER " + line(lateId, "fn4"));
    assertThat(late.output()).contains("PEER " + line(firstId, "fn1")).doesNotContain("giving up");
    List<String> now = List.of(line(firstId, "fn1"), line(lateId, "fn4"));
    await().atMost(START).until(() -> Files.readAllLines(peers).equals(now));
    await().atMost(START).until(() -> Files.exists(hookLog) && Files.readString(hookLog).contains("JOINED " + lateId));

    List<String> changes = Files.readAllLines(hookLog);
    assertThat(changes).contains("LEFT " + line(secondId, "fn2"), "LEFT " + line(thirdId, "fn3"),
        "JOINED " + line(lateId, "fn4"));
    // the hook ran after the peers file was rewritten: its last run read the list it was told about
    List<String> lastRun = changes.subList(changes.lastIndexOf("CHANGE 2"), changes.size());
    assertThat(lastRun).contains("JOINED " + line(lateId, "fn4"))
        .containsSubsequence("FILE " + now.get(0), "FILE " + now.get(1));
    assertThat(JsonParser.parseString(Files.readString(ready)).getAsJsonObject().getAsJsonArray("peers").asList())
        .extracting(p -> p.getAsJsonObject().get("id").getAsString()).containsExactly(firstId, lateId);
    assertThat(first.isAlive()).as("the first member's command runs on, whatever the changes").isTrue();
  }

  private static HostProcess member(String host) throws Exception {
    return lab.start(host + "-member", lab.host(host), List.of("run", "--seed", lab.seedAddress(), "--members", "3",
        "--", "sh", "-c", "echo ID=$BOXER_NODE_ID; " + IDLE));
  }

  private static String id(HostProcess run) throws IOException, InterruptedException {
    return run.awaitLine(l -> l.startsWith("ID="), START).substring(3);
  }

  private static String line(String id, String host) {
    return id + " " + lab.host(host).externalAddress().getHostAddress() + " member";
  }
}
