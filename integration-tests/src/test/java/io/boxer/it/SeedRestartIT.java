package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.examples.cluster.PeersWatcher;
import io.boxer.examples.echo.EchoClient;
import io.boxer.examples.echo.EchoServer;
import io.boxer.netlab.HostProcess;
import io.boxer.netlab.LabSpec;
import io.boxer.netlab.NatProfile;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A seed restart (issue 8, point 9): members keep their ids and certificates and reconnect to the restarted
 * seed at the same address, a node that joins afterwards gets a new id above theirs and meshes with them, and
 * members keep talking throughout.
 */
@Tag("lab")
class SeedRestartIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final String PORT = "5000";
  private static BoxerLab lab;

  @BeforeAll
  static void startLab() throws Exception {
    lab = BoxerLab.start(LabSpec.builder().functions(3).vms(0).profile(NatProfile.LAMBDA).build());
  }

  @AfterAll
  static void stopLab() throws Exception {
    if (lab != null) {
      lab.close();
    }
  }

  private static long id(HostProcess member) throws IOException, InterruptedException {
    Matcher m = Pattern.compile("Joined the cluster\\. peerId=(\\d+)").matcher(
        member.awaitLine(l -> l.contains("Joined the cluster."), START));
    assertThat(m.find()).isTrue();
    return Long.parseLong(m.group(1));
  }

  @Test
  void membersRejoinARestartedSeedWithTheirIds_andANewNodeMeshesWithThem() throws Exception {
    HostProcess server = lab.run("fn1-server", lab.host("fn1"), null, EchoServer.class, PORT);
    server.awaitLine(l -> l.equals("listening on " + PORT), START);
    HostProcess watcher = lab.run("fn2-watcher", lab.host("fn2"), 2, PeersWatcher.class, "300");
    long serverId = id(server);
    long watcherId = id(watcher);
    watcher.awaitLine(l -> l.equals("peers " + l.split(" ")[1] + " " + serverId + " " + watcherId), START);

    lab.signalAll("seed", "KILL");
    Thread.sleep(3_000); // the members notice, keep their mesh, and keep knocking
    HostProcess restarted = lab.startSeed();

    restarted.awaitLine(l -> l.contains("Member rejoined. peerId=" + serverId), START);
    restarted.awaitLine(l -> l.contains("Member rejoined. peerId=" + watcherId), START);
    HostProcess newcomer = lab.start("fn3-newcomer", lab.host("fn3"), List.of("run", "--seed", lab.seedAddress(),
        "--members", "3", "--", "sh", "-c", "echo ID=$BOXER_NODE_ID; sed 's/^/PEER /' \"$BOXER_PEERS_FILE\"; "
            + String.join(" ", lab.java(EchoClient.class, lab.host("fn1").externalAddress().getHostAddress(), PORT,
                "after-restart"))));

    assertThat(newcomer.awaitExit(START)).as(newcomer.output()).isZero();
    long newcomerId = Long.parseLong(newcomer.awaitLine(l -> l.startsWith("ID="), START).substring(3));
    assertThat(newcomerId).as("ids are never reused").isGreaterThan(Math.max(serverId, watcherId));
    assertThat(newcomer.output()).contains("PEER " + serverId + " ", "PEER " + watcherId + " ")
        .contains("reply: echo after-restart from " + lab.host("fn3").externalAddress().getHostAddress());
    // the old members never lost each other
    assertThat(watcher.output().lines().filter(l -> l.startsWith("peers ")))
        .noneMatch(l -> !l.contains(" " + serverId));
  }
}
