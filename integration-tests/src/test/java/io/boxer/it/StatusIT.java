package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
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

/**
 * {@code boxer status} in one lab: three members behind lambda NATs (fn1..fn3); the seed's view, asked from
 * the seed host with the token, and the node view, asked by fn3's command under {@code boxer run}.
 */
@Tag("lab")
class StatusIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final List<String> MEMBERS = List.of("fn1", "fn2", "fn3");
  private static BoxerLab lab;
  private static Path nodeStatus;

  @BeforeAll
  static void startLabAndMembers() throws Exception {
    lab = BoxerLab.start(LabSpec.builder().functions(3).vms(0).profile(NatProfile.LAMBDA).build());
    nodeStatus = Files.createTempDirectory("boxer-status-it").resolve("node-status.json");
    // fn3's command asks its own node, past the barrier, as a user would from inside the function (without the
    // agent that boxer run puts in JAVA_TOOL_OPTIONS: boxer status makes no TCP connects)
    String askNode = "env -u JAVA_TOOL_OPTIONS " + lab.file("bin/boxer") + " status --json > " + nodeStatus
        + "; echo STATUS-EXIT=$?; ";
    List<HostProcess> members = new java.util.ArrayList<>();
    for (String host : MEMBERS) {
      members.add(lab.start(host + "-member", lab.host(host), List.of("run", "--seed", lab.seedAddress(),
          "--members", "3", "--", "sh", "-c", (host.equals("fn3") ? askNode : "") + "echo ready; exec sleep 600")));
    }
    for (HostProcess member : members) {
      member.awaitLine(l -> l.equals("ready"), START);
    }
    assertThat(members.get(2).output()).contains("STATUS-EXIT=0");
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

  private static JsonObject askSeed() throws Exception {
    return lab.seedStatus(START);
  }

  private static boolean everyLinkUpWithAnRtt(JsonObject member) {
    List<JsonElement> links = member.has("links") ? member.getAsJsonArray("links").asList() : List.of();
    return links.size() == MEMBERS.size() - 1 && links.stream().map(JsonElement::getAsJsonObject)
        .allMatch(l -> l.get("state").getAsString().equals("up") && l.has("rttMs") && l.get("rttMs").getAsDouble() > 0);
  }

  @Test
  void seedView_listsEveryMember_withItsAddress_andItsReportedLinksUpWithAnRtt() {
    // reports come every 5 s; a link's first RTT needs a heartbeat each way
    JsonObject doc = await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofSeconds(2))
        .until(StatusIT::askSeed, d -> d.getAsJsonArray("members").asList().stream()
            .map(JsonElement::getAsJsonObject).allMatch(StatusIT::everyLinkUpWithAnRtt)
            && d.getAsJsonArray("members").size() == MEMBERS.size());

    assertThat(doc.get("view").getAsString()).isEqualTo("seed");
    List<JsonObject> members = doc.getAsJsonArray("members").asList().stream().map(JsonElement::getAsJsonObject).toList();
    assertThat(members).extracting(m -> m.get("address").getAsString())
        .containsExactlyInAnyOrder(external("fn1"), external("fn2"), external("fn3"));
    List<Long> ids = members.stream().map(m -> m.get("id").getAsLong()).toList();
    for (JsonObject member : members) {
      assertThat(member.get("role").getAsString()).isEqualTo("member");
      assertThat(member.get("lastSeenMsAgo").getAsLong()).isLessThan(5_000);
      assertThat(member.get("reportAgeMs").getAsLong()).isLessThan(10_000);
      // lambda NATs: every link is direct, none relayed
      assertThat(member.getAsJsonArray("links").asList()).extracting(l -> l.getAsJsonObject().get("path").getAsString())
          .containsOnly("direct");
      // each member's links go to the two others
      assertThat(member.getAsJsonArray("links").asList()).extracting(l -> l.getAsJsonObject().get("peer").getAsLong())
          .containsExactlyInAnyOrderElementsOf(ids.stream().filter(id -> id != member.get("id").getAsLong()).toList());
    }
  }

  @Test
  void nodeView_underBoxerRun_listsTheOtherMembers_withTheirLinksUp() throws Exception {
    JsonObject doc = JsonParser.parseString(Files.readString(nodeStatus)).getAsJsonObject();

    assertThat(doc.get("view").getAsString()).isEqualTo("node");
    assertThat(doc.getAsJsonObject("self").get("address").getAsString()).isEqualTo(external("fn3"));
    List<JsonObject> others = doc.getAsJsonArray("members").asList().stream().map(JsonElement::getAsJsonObject).toList();
    assertThat(others).extracting(m -> m.get("address").getAsString())
        .containsExactlyInAnyOrder(external("fn1"), external("fn2"));
    assertThat(others).allSatisfy(m -> {
      JsonObject link = m.getAsJsonArray("links").get(0).getAsJsonObject();
      assertThat(link.get("state").getAsString()).isEqualTo("up");
      assertThat(link.get("path").getAsString()).isEqualTo("direct");
    });
  }

  @Test
  void seedView_withAWrongToken_isRefused_exit1() throws Exception {
    HostProcess status = lab.start("seed-status-wrong-token", lab.host("seed"),
        Map.of("BOXER_TOKEN", BoxerLab.newToken()), List.of("status", "--seed", lab.seedAddress(), "--json"));

    assertThat(status.awaitExit(START)).as(status.output()).isEqualTo(1);
    assertThat(status.output()).contains("join token differs from the seed's")
        .doesNotContain(external("fn1")).doesNotContain("\"members\"");
  }
}
