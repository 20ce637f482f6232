package io.boxer.launcher;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes a {@link StatusReport} for people (a table, ages like "3s ago") or for scripts (one JSON document with
 * the field names below; absent fields are unknown). Pure: no I/O.
 *
 * <pre>
 * {"view": "node"|"seed", "at": ISO-8601 (the answering side's clock),
 *  "self": {"id", "role", "address", "controlPort", "joinedAt", "answersRst", "virtualAddress"},  (node view)
 *  "members": [{"id", "role", "address", "controlPort", "joinedAt", "answersRst", "virtualAddress",
 *               "lastSeenMsAgo",          (since the node or seed last heard from it; absent: no link)
 *               "reportAgeMs",            (seed view: since its last link report; absent: none yet)
 *               "links": [{"peer", "state": "up"|"down", "rttMs", "srttMs", "path": "direct",
 *                          "primes": {"served", "refused", "failed"}}]}]}
 * </pre>
 *
 * {@code answersRst}: the member's host answers stray SYNs with RST (docs/relay.md); {@code virtualAddress}: its
 * address is a virtual one the seed gave it, shown as "ADDR (virtual)" in the table. In the node view each member
 * has one link, the node's own to it ({@code peer} is the member); in the seed
 * view a member's links are those it reported, one per other member.
 */
final class StatusFormat {
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create();

  private StatusFormat() {}

  private record Primes(long served, long refused, long failed) {}

  private record JsonLink(long peer, String state, Double rttMs, Double srttMs, String path, Primes primes) {}

  private record JsonMember(long id, String role, String address, int controlPort, String joinedAt,
      boolean answersRst, boolean virtualAddress, Long lastSeenMsAgo, Long reportAgeMs, List<JsonLink> links) {}

  private record JsonSelf(long id, String role, String address, int controlPort, String joinedAt,
      boolean answersRst, boolean virtualAddress) {}

  private record Document(String view, String at, JsonSelf self, List<JsonMember> members) {}

  /** The report as one JSON document (see the class comment for the fields). */
  static String json(StatusReport report) {
    StatusReport.Member s = report.self();
    JsonSelf self = s == null ? null
        : new JsonSelf(s.id(), s.role(), s.address(), s.controlPort(), instant(s.joinedMillis()), s.answersRst(),
            s.virtualAddress());
    List<JsonMember> members = report.members().stream().map(m -> new JsonMember(m.id(), m.role(), m.address(),
        m.controlPort(), instant(m.joinedMillis()), m.answersRst(), m.virtualAddress(), m.lastSeenMillisAgo(),
        m.reportAgeMillis(),
        m.links().stream().map(l -> new JsonLink(l.peer(), l.up() ? "up" : "down", millis(l.rttMicros()),
            millis(l.srttMicros()), l.path(), new Primes(l.served(), l.refused(), l.failed()))).toList())).toList();
    return GSON.toJson(new Document(report.view(), instant(report.nowMillis()), self, members)) + "\n";
  }

  /** The report as a table: a line about the asked node (node view), then one row per member and link. */
  static String table(StatusReport report) {
    StringBuilder out = new StringBuilder();
    StatusReport.Member self = report.self();
    boolean seedView = self == null;
    if (!seedView) {
      out.append("node ").append(self.id()).append(" (").append(self.role()).append(") at ").append(shown(self))
          .append(", joined ").append(ago(report.nowMillis() - self.joinedMillis())).append('\n');
    }
    if (report.members().isEmpty()) {
      return out.append(seedView ? "no members\n" : "no other members\n").toString();
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(seedView
        ? new String[] {"ID", "ROLE", "ADDRESS", "JOINED", "LAST SEEN", "REPORTED", "PEER", "LINK", "RTT", "PATH",
            "PRIMES S/R/F"}
        : new String[] {"ID", "ROLE", "ADDRESS", "JOINED", "LAST SEEN", "LINK", "RTT", "PATH", "PRIMES S/R/F"});
    for (StatusReport.Member m : report.members()) {
      String[] member = {Long.toString(m.id()), m.role(), shown(m), ago(report.nowMillis() - m.joinedMillis()),
          m.lastSeenMillisAgo() == null ? "-" : ago(m.lastSeenMillisAgo())};
      if (!seedView) {
        rows.add(concat(member, link(m.links().get(0))));
        continue;
      }
      String reported = m.reportAgeMillis() == null ? "never" : ago(m.reportAgeMillis());
      if (m.links().isEmpty()) {
        rows.add(concat(member, new String[] {reported, "-", "-", "-", "-", "-"}));
      }
      for (int i = 0; i < m.links().size(); i++) {
        StatusReport.Link l = m.links().get(i);
        String[] left = i == 0 ? concat(member, new String[] {reported}) : new String[member.length + 1];
        rows.add(concat(left, concat(new String[] {Long.toString(l.peer())}, link(l))));
      }
    }
    return out.append(columns(rows)).toString();
  }

  private static String shown(StatusReport.Member m) {
    return m.virtualAddress() ? m.address() + " (virtual)" : m.address();
  }

  private static String[] link(StatusReport.Link l) {
    return new String[] {l.up() ? "up" : "down", rtt(l.srttMicros() != 0 ? l.srttMicros() : l.rttMicros()), l.path(),
        l.served() + "/" + l.refused() + "/" + l.failed()};
  }

  /** A duration in the past, for people: "now", "3s ago", "4m ago", "2h ago", "3d ago". */
  static String ago(long millis) {
    long seconds = Math.max(0, millis) / 1000;
    if (seconds == 0) {
      return "now";
    }
    if (seconds < 60) {
      return seconds + "s ago";
    }
    if (seconds < 3600) {
      return seconds / 60 + "m ago";
    }
    if (seconds < 2 * 86400) {
      return seconds / 3600 + "h ago";
    }
    return seconds / 86400 + "d ago";
  }

  /** A round-trip time: "-" when none, "0.41ms", "12.3ms", "250ms". */
  static String rtt(long micros) {
    if (micros <= 0) {
      return "-";
    }
    double ms = micros / 1000.0;
    return String.format(Locale.ROOT, ms < 10 ? "%.2fms" : ms < 100 ? "%.1fms" : "%.0fms", ms);
  }

  private static Double millis(long micros) {
    return micros <= 0 ? null : micros / 1000.0;
  }

  private static String instant(long unixMillis) {
    return Instant.ofEpochMilli(unixMillis).toString();
  }

  private static String[] concat(String[] a, String[] b) {
    String[] both = new String[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }

  /** Left-aligned columns two spaces apart; null cells are blank. */
  private static String columns(List<String[]> rows) {
    int[] widths = new int[rows.get(0).length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i] == null ? 0 : row[i].length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        String cell = row[i] == null ? "" : row[i];
        line.append(cell);
        if (i < row.length - 1) {
          line.append(" ".repeat(widths[i] - cell.length() + 2));
        }
      }
      out.append(line.toString().stripTrailing()).append('\n');
    }
    return out.toString();
  }
}
