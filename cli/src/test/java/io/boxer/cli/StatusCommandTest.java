package io.boxer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxer.control.tls.JoinToken;
import io.boxer.node.BoxerNode;
import io.boxer.node.NodeConfig;
import io.boxer.seed.SeedConfig;
import io.boxer.seed.SeedServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code boxer status} against a real seed and a real node on loopback (one address: one member). */
class StatusCommandTest {
  private static final String TOKEN = "boxer_status-command-test-0123456789";
  @TempDir static Path dir;
  private static SeedServer seed;
  private static BoxerNode node;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void startSeedAndNode() throws Exception {
    seed = new SeedServer(SeedConfig.of(new InetSocketAddress("127.0.0.1", 0), JoinToken.parse(TOKEN))).start();
    node = new BoxerNode(NodeConfig.forSeed(new InetSocketAddress("127.0.0.1", seed.port()), JoinToken.parse(TOKEN))
        .withAgentSocket(dir.resolve("agent.sock")));
    node.start();
  }

  @AfterAll
  static void stop() throws Exception {
    if (node != null) {
      node.close();
    }
    if (seed != null) {
      seed.close();
    }
  }

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void nodeView_printsTheNodeItself() {
    assertThat(run("status", "--node", dir.resolve("agent.sock").toString(), "--json")).as(err.toString()).isZero();

    JsonObject doc = JsonParser.parseString(out.toString()).getAsJsonObject();
    assertThat(doc.get("view").getAsString()).isEqualTo("node");
    assertThat(doc.getAsJsonObject("self").get("id").getAsLong()).isEqualTo(node.self().id());
    assertThat(doc.getAsJsonObject("self").get("address").getAsString()).isEqualTo("127.0.0.1");
    assertThat(doc.getAsJsonArray("members")).isEmpty();
  }

  @Test
  void seedView_withTheToken_listsTheMember() {
    assertThat(run("status", "--seed", "127.0.0.1:" + seed.port(), "--token", TOKEN)).as(err.toString()).isZero();

    assertThat(out.toString()).contains("ID", "REPORTED")
        .containsPattern(node.self().id() + "\\s+member\\s+127\\.0\\.0\\.1\\s");
  }

  @Test
  void seedView_withAWrongToken_isRefused_exit1() {
    assertThat(run("status", "--seed", "127.0.0.1:" + seed.port(), "--token", "boxer_some-other-clusters-token-0123"))
        .isEqualTo(1);

    assertThat(err.toString()).contains("boxer: ").contains("join token differs from the seed's");
    assertThat(out.toString()).doesNotContain("127.0.0.1");
  }

  @Test
  void nodeView_ofNoNode_isARuntimeError_exit1() {
    assertThat(run("status", "--node", dir.resolve("no-such.sock").toString())).isEqualTo(1);

    assertThat(err.toString()).contains("cannot reach the node at " + dir.resolve("no-such.sock"));
  }
}
