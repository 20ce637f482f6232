package io.boxer.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusFormatTest {
  private static final long NOW = 1_764_600_000_000L;
  private static final StatusReport.Link UP = new StatusReport.Link(2, true, 450, 410, "direct", 3, 1, 0);
  private static final StatusReport.Link DOWN = new StatusReport.Link(3, false, 0, 0, "direct", 0, 0, 2);

  private static StatusReport nodeView() {
    StatusReport.Member self = new StatusReport.Member(1, "member", "198.18.0.101", 40000, NOW - 120_000, null, null,
        List.of());
    return new StatusReport("node", self, NOW, List.of(
        new StatusReport.Member(2, "backend", "198.18.0.102", 40001, NOW - 90_000, 300L, null, List.of(UP)),
        new StatusReport.Member(3, "member", "198.18.0.103", 40002, NOW - 5_000, null, null, List.of(DOWN))));
  }

  private static StatusReport seedView() {
    return new StatusReport("seed", null, NOW, List.of(
        new StatusReport.Member(1, "member", "198.18.0.101", 40000, NOW - 120_000, 200L, 3_000L, List.of(UP, DOWN)),
        new StatusReport.Member(4, "member", "198.18.0.104", 40003, NOW - 1_000, 100L, null, List.of(), true, false),
        new StatusReport.Member(5, "member", "100.64.0.1", 40004, NOW - 1_000, 100L, null, List.of(), false,
            true)));
  }

  @Test
  void ago_isHumanReadable() {
    assertThat(StatusFormat.ago(400)).isEqualTo("now");
    assertThat(StatusFormat.ago(3_400)).isEqualTo("3s ago");
    assertThat(StatusFormat.ago(125_000)).isEqualTo("2m ago");
    assertThat(StatusFormat.ago(3 * 3_600_000L + 5)).isEqualTo("3h ago");
    assertThat(StatusFormat.ago(3 * 86_400_000L)).isEqualTo("3d ago");
    assertThat(StatusFormat.ago(-50)).isEqualTo("now"); // clocks differ a little
  }

  @Test
  void rtt_showsMillisecondsWithSensiblePrecision() {
    assertThat(StatusFormat.rtt(0)).isEqualTo("-");
    assertThat(StatusFormat.rtt(410)).isEqualTo("0.41ms");
    assertThat(StatusFormat.rtt(12_345)).isEqualTo("12.3ms");
    assertThat(StatusFormat.rtt(250_400)).isEqualTo("250ms");
  }

  @Test
  void nodeTable_hasTheNodeLine_thenOneAlignedRowPerMember() {
    List<String> lines = StatusFormat.table(nodeView()).lines().toList();

    assertThat(lines).hasSize(4);
    assertThat(lines.get(0)).isEqualTo("node 1 (member) at 198.18.0.101, joined 2m ago");
    assertThat(lines.get(1)).startsWith("ID").contains("ROLE", "ADDRESS", "JOINED", "LAST SEEN", "LINK", "RTT", "PATH",
        "PRIMES S/R/F");
    assertThat(lines.get(2).split("\\s{2,}"))
        .containsExactly("2", "backend", "198.18.0.102", "1m ago", "now", "up", "0.41ms", "direct", "3/1/0");
    assertThat(lines.get(3).split("\\s{2,}"))
        .containsExactly("3", "member", "198.18.0.103", "5s ago", "-", "down", "-", "direct", "0/0/2");
    // aligned: every row's LINK column starts where the header's does
    int link = lines.get(1).indexOf("LINK");
    assertThat(lines.get(2).substring(link)).startsWith("up ");
    assertThat(lines.get(3).substring(link)).startsWith("down ");
  }

  @Test
  void seedTable_listsEachReportedLinkUnderItsMember_andSaysWhenNothingWasReported() {
    List<String> lines = StatusFormat.table(seedView()).lines().toList();

    assertThat(lines).hasSize(5);
    assertThat(lines.get(0)).contains("REPORTED", "PEER");
    assertThat(lines.get(1).split("\\s{2,}")).containsExactly("1", "member", "198.18.0.101", "2m ago", "now",
        "3s ago", "2", "up", "0.41ms", "direct", "3/1/0");
    assertThat(lines.get(2).strip().split("\\s{2,}")).containsExactly("3", "down", "-", "direct", "0/0/2");
    assertThat(lines.get(2).indexOf('3')).isEqualTo(lines.get(0).indexOf("PEER"));
    assertThat(lines.get(3).split("\\s{2,}")).containsExactly("4", "member", "198.18.0.104", "1s ago", "now", "never",
        "-", "-", "-", "-", "-");
    assertThat(lines.get(4)).contains("  100.64.0.1 (virtual)  ");
  }

  @Test
  void emptyViews_sayThereIsNobody() {
    assertThat(StatusFormat.table(new StatusReport("seed", null, NOW, List.of()))).isEqualTo("no members\n");
    assertThat(StatusFormat.table(new StatusReport("node", nodeView().self(), NOW, List.of())))
        .endsWith("no other members\n");
  }

  @Test
  void json_hasTheDocumentedFields_andLeavesOutWhatIsUnknown() {
    JsonObject node = JsonParser.parseString(StatusFormat.json(nodeView())).getAsJsonObject();
    JsonObject seed = JsonParser.parseString(StatusFormat.json(seedView())).getAsJsonObject();

    assertThat(node.get("view").getAsString()).isEqualTo("node");
    assertThat(node.get("at").getAsString()).isEqualTo("2025-12-01T14:40:00Z");
    assertThat(node.getAsJsonObject("self").get("address").getAsString()).isEqualTo("198.18.0.101");
    JsonObject two = node.getAsJsonArray("members").get(0).getAsJsonObject();
    assertThat(two.get("id").getAsLong()).isEqualTo(2);
    assertThat(two.get("role").getAsString()).isEqualTo("backend");
    assertThat(two.get("controlPort").getAsInt()).isEqualTo(40001);
    assertThat(two.get("joinedAt").getAsString()).isEqualTo("2025-12-01T14:38:30Z");
    assertThat(two.get("lastSeenMsAgo").getAsLong()).isEqualTo(300);
    assertThat(two.has("reportAgeMs")).isFalse();
    JsonObject link = two.getAsJsonArray("links").get(0).getAsJsonObject();
    assertThat(link.get("peer").getAsLong()).isEqualTo(2);
    assertThat(link.get("state").getAsString()).isEqualTo("up");
    assertThat(link.get("rttMs").getAsDouble()).isEqualTo(0.45);
    assertThat(link.get("srttMs").getAsDouble()).isEqualTo(0.41);
    assertThat(link.get("path").getAsString()).isEqualTo("direct");
    assertThat(link.getAsJsonObject("primes").get("refused").getAsLong()).isEqualTo(1);
    JsonObject down = node.getAsJsonArray("members").get(1).getAsJsonObject();
    assertThat(down.has("lastSeenMsAgo")).isFalse();
    assertThat(down.getAsJsonArray("links").get(0).getAsJsonObject().has("rttMs")).isFalse();
    assertThat(seed.has("self")).isFalse();
    assertThat(seed.getAsJsonArray("members").get(0).getAsJsonObject().get("reportAgeMs").getAsLong()).isEqualTo(3000);
    assertThat(seed.getAsJsonArray("members").get(0).getAsJsonObject().getAsJsonArray("links")).hasSize(2);
    assertThat(seed.getAsJsonArray("members").get(0).getAsJsonObject().get("answersRst").getAsBoolean()).isFalse();
    assertThat(seed.getAsJsonArray("members").get(1).getAsJsonObject().get("answersRst").getAsBoolean()).isTrue();
    assertThat(node.getAsJsonObject("self").get("answersRst").getAsBoolean()).isFalse();
    assertThat(node.getAsJsonObject("self").get("virtualAddress").getAsBoolean()).isFalse();
    assertThat(seed.getAsJsonArray("members").get(1).getAsJsonObject().get("virtualAddress").getAsBoolean()).isFalse();
    assertThat(seed.getAsJsonArray("members").get(2).getAsJsonObject().get("virtualAddress").getAsBoolean()).isTrue();
  }
}
