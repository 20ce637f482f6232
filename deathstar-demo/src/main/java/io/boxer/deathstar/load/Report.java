package io.boxer.deathstar.load;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The plain-text table of load results: one row per deployment and offered rate, latencies in ms, corrected (from
 * the intended send time) and uncorrected (from the actual send time).
 */
public final class Report {
  private Report() {}

  /** The table for several deployments, in the map's iteration order. */
  public static String table(Map<String, List<RateResult>> resultsByLabel) {
    int width = Math.max("deployment".length(),
        resultsByLabel.keySet().stream().mapToInt(String::length).max().orElse(0));
    String label = "%-" + width + "s";
    String header = label + " %9s %9s | %9s %9s %9s | %9s %9s %9s | %7s %7s%n";
    String row = label + " %9.1f %9.1f | %9.2f %9.2f %9.2f | %9.2f %9.2f %9.2f | %7d %7d%n";
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, label + " %9s %9s | %-29s | %-29s |%n", "", "offered", "achieved",
        "corrected latency (ms)", "uncorrected latency (ms)"));
    out.append(String.format(Locale.ROOT, header, "deployment", "req/s", "req/s",
        "p50", "p90", "p99", "p50", "p90", "p99", "errors", "dropped"));
    for (Map.Entry<String, List<RateResult>> entry : resultsByLabel.entrySet()) {
      for (RateResult r : entry.getValue()) {
        out.append(String.format(Locale.ROOT, row, entry.getKey(), r.offeredRps(), r.achievedRps(),
            r.corrected().p50Ms(), r.corrected().p90Ms(), r.corrected().p99Ms(),
            r.uncorrected().p50Ms(), r.uncorrected().p90Ms(), r.uncorrected().p99Ms(),
            r.errors(), r.dropped()));
      }
    }
    return out.toString();
  }

  /** One line per deployment: its {@link Saturation} throughput under {@code p90BoundMs}. */
  public static String saturation(Map<String, List<RateResult>> resultsByLabel, double p90BoundMs) {
    StringBuilder out = new StringBuilder();
    for (Map.Entry<String, List<RateResult>> entry : resultsByLabel.entrySet()) {
      out.append(String.format(Locale.ROOT,
          "%s: saturation throughput %.1f req/s (errors = 0, corrected p90 <= %.0f ms)%n",
          entry.getKey(), Saturation.throughput(entry.getValue(), p90BoundMs), p90BoundMs));
    }
    return out.toString();
  }
}
