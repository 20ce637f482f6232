package io.boxer.deathstar.run;

import io.boxer.deathstar.load.Plots;
import io.boxer.deathstar.load.RateResult;
import io.boxer.deathstar.load.Report;
import io.boxer.deathstar.load.ResultFile;
import io.boxer.deathstar.load.Saturation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * The main job: each deployment in turn gets its own lab, is checked for correct answers ({@code verify}),
 * warmed up (prefilled timelines, {@value #WARMUP_SECONDS} s of unmeasured load), then measured by the open-loop
 * load generator at every offered rate; then the comparison (table, saturation
 * throughput, p90 at a common load, ratios of deployments 2 and 3 to 1), the plots and {@code report.md} go to
 * the output folder. Not thread-safe; one run per instance.
 */
public final class DemoRun {

  /**
   * What to run.
   *
   * @param deployments in order, at least one
   * @param workload the load generator's workload name
   * @param rates offered rates in requests/s, ascending
   */
  public record Options(List<Deployment> deployments, String workload, List<Double> rates, int durationSeconds,
      int warmupSeconds, double p90BoundMs, Path out) {
    public Options {
      if (deployments.isEmpty()) {
        throw new IllegalArgumentException("deployments : [] (expected: at least one of 1, 2, 3)");
      }
      if (rates.isEmpty() || rates.stream().anyMatch(r -> !(r > 0 && r <= 100_000))) {
        throw new IllegalArgumentException("rates : " + rates + " (expected: rates in 0..100000 req/s)");
      }
      if (durationSeconds < 1 || durationSeconds > 3600 || warmupSeconds < 0 || warmupSeconds > 600) {
        throw new IllegalArgumentException("duration/warmup : " + durationSeconds + "/" + warmupSeconds
            + " s (expected: 1..3600 and 0..600)");
      }
      if (!(p90BoundMs > 0 && p90BoundMs <= 60_000)) { // also rejects NaN
        throw new IllegalArgumentException("p90-bound-ms : " + p90BoundMs + " (expected: 0..60000, exclusive of 0)");
      }
      deployments = List.copyOf(deployments);
      rates = List.copyOf(rates);
    }
  }

  /** The unmeasured load before the measured rates, at the lowest of them. */
  static final int WARMUP_SECONDS = 10;

  private final DemoSetup setup;
  private final Options options;
  private final Consumer<String> progress;

  public DemoRun(DemoSetup setup, Options options, Consumer<String> progress) {
    this.setup = setup;
    this.options = options;
    this.progress = progress;
  }

  /**
   * Runs every deployment and writes the report.
   *
   * @return the report text (also in {@code out/report.md})
   * @throws IOException when no deployment could be measured; a deployment that fails is reported and skipped
   */
  public String run() throws IOException, InterruptedException {
    Files.createDirectories(options.out());
    Map<String, List<RateResult>> results = new LinkedHashMap<>();
    Map<String, String> failures = new LinkedHashMap<>();
    for (Deployment d : options.deployments()) {
      progress.accept("deployment " + (d.ordinal() + 1) + "/" + Deployment.values().length + ": " + d.label()
          + " (" + d.description() + ")");
      try {
        results.put(d.label(), measure(d));
      } catch (IOException e) {
        failures.put(d.label(), e.getMessage());
        progress.accept("deployment " + d.label() + " FAILED: " + e.getMessage());
      }
    }
    if (results.isEmpty()) {
      throw new IOException("no deployment could be measured: " + failures);
    }
    String report = report(results, failures);
    Files.writeString(options.out().resolve("report.md"), report, StandardCharsets.UTF_8);
    List<Path> plots = Plots.write(results, options.out());
    progress.accept("plots: " + plots.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", ")));
    if (!failures.isEmpty()) {
      throw new IOException("deployments failed: " + String.join(", ", failures.keySet()) + " (see " + options.out()
          + "; the others are reported)");
    }
    return report;
  }

  private List<RateResult> measure(Deployment d) throws IOException, InterruptedException {
    Path dir = options.out().resolve(d.label());
    try (DeploymentRun run = DeploymentRun.start(d, setup, dir.resolve("logs"), progress)) {
      progress.accept("verifying answers (compose, timelines, follow) at " + run.frontendUrl());
      int verified = run.runClient("verify", List.of("verify", "--target", run.frontendUrl()),
          Duration.ofSeconds(180), true);
      if (verified != 0) {
        throw new IOException("verification failed (exit " + verified + "), see " + dir.resolve("logs/verify.log"));
      }
      // Nine cold JVMs (C1 only) answer slowly for a while: warm them up, unmeasured, at the lowest rate, with
      // the timelines prefilled, so that the first measured rate is not a measurement of the JIT.
      double lowest = options.rates().stream().mapToDouble(Double::doubleValue).min().orElseThrow();
      progress.accept("warm-up (not measured): prefill, then " + WARMUP_SECONDS + " s at " + lowest + " req/s");
      int warmed = run.runClient("warmup", List.of("load", "--target", run.frontendUrl(), "--workload",
          options.workload(), "--rates", Double.toString(lowest), "--warmup", "0",
          "--duration", Integer.toString(WARMUP_SECONDS), "--label", "warmup", "--out", dir.resolve("warmup").toString()),
          Duration.ofSeconds(300), false);
      if (warmed != 0) {
        throw new IOException("warm-up load failed (exit " + warmed + "), see " + dir.resolve("logs/warmup.log"));
      }
      List<String> load = new ArrayList<>(List.of("load", "--target", run.frontendUrl(), "--prefill-posts", "0",
          "--workload", options.workload(), "--rates",
          options.rates().stream().map(r -> String.format(Locale.ROOT, "%s", r)).collect(Collectors.joining(",")),
          "--duration", Integer.toString(options.durationSeconds()),
          "--warmup", Integer.toString(options.warmupSeconds()),
          "--p90-bound-ms", Double.toString(options.p90BoundMs()),
          "--label", d.label(), "--out", dir.toString()));
      long perRate = options.durationSeconds() + options.warmupSeconds() + 30L;
      Duration limit = Duration.ofSeconds(180 + perRate * options.rates().size());
      progress.accept("open-loop load, " + options.workload() + " at " + options.rates() + " req/s, "
          + options.warmupSeconds() + " s warm-up + " + options.durationSeconds() + " s each");
      int loaded = run.runClient("load", load, limit, true);
      if (loaded != 0) {
        throw new IOException("load generator failed (exit " + loaded + "), see " + dir.resolve("logs/load.log"));
      }
    }
    return ResultFile.read(dir.resolve(ResultFile.JSON_NAME)).results();
  }

  /** The comparison, as Markdown: table, saturation throughput, p90 at a common load, ratios to deployment 1. */
  String report(Map<String, List<RateResult>> results, Map<String, String> failures) {
    double bound = options.p90BoundMs();
    StringBuilder out = new StringBuilder();
    out.append("# DeathStar social network: Boxer deployments compared\n\n");
    out.append(String.format(Locale.ROOT, "Workload %s, offered rates %s req/s, %d s measured per rate after %d s "
        + "warm-up. Latencies in ms; corrected = from the intended send time (coordinated omission), uncorr. = "
        + "from the actual send time.%n%n", options.workload(), options.rates(), options.durationSeconds(),
        options.warmupSeconds()));
    for (Deployment d : options.deployments()) {
      out.append("- ").append(d.ordinal() + 1).append(". `").append(d.label()).append("`: ")
          .append(d.description()).append(failures.containsKey(d.label()) ? " — FAILED: "
              + failures.get(d.label()) : "").append('\n');
    }
    out.append("\n```\n").append(Report.table(results)).append("```\n\n");
    double common = commonRate(results, bound);
    out.append(String.format(Locale.ROOT, "Saturation throughput: the achieved throughput at the highest offered "
        + "rate up to which every rate was served with no error and corrected p90 <= %.0f ms (the knee). p90: "
        + "corrected, at %s.%n%n", bound,
        common > 0 ? String.format(Locale.ROOT, "%.0f req/s offered, the highest rate below every deployment's "
            + "knee", common) : "no rate below every deployment's knee (n/a)"));
    out.append("| deployment | saturation req/s | p90 ms | throughput vs 1 | p90 vs 1 |\n|---|---:|---:|---:|---:|\n");
    String base = Deployment.VMS.label();
    for (Map.Entry<String, List<RateResult>> e : results.entrySet()) {
      double sat = Saturation.throughput(e.getValue(), bound);
      double p90 = p90At(e.getValue(), common);
      String satRatio = "n/a";
      String p90Ratio = "n/a";
      if (results.containsKey(base)) {
        double baseSat = Saturation.throughput(results.get(base), bound);
        double baseP90 = p90At(results.get(base), common);
        satRatio = baseSat > 0 ? String.format(Locale.ROOT, "%.2f", sat / baseSat) : "n/a";
        p90Ratio = baseP90 > 0 && p90 > 0 ? String.format(Locale.ROOT, "%.2fx", p90 / baseP90) : "n/a";
      }
      out.append(String.format(Locale.ROOT, "| %s | %.1f | %s | %s | %s |%n", e.getKey(), sat,
          p90 > 0 ? String.format(Locale.ROOT, "%.2f", p90) : "n/a", satRatio, p90Ratio));
    }
    out.append("\nGoals: deployment 2 keeps >= 0.97 of deployment 1's saturation throughput with p90 <= "
        + "1.2x (the paper: 0.94 and 1.59x on reads).\n");
    return out.toString();
  }

  /**
   * The highest offered rate that every deployment ran and served cleanly, together with every lower rate it
   * ran (below its knee, as {@link Saturation#throughput} counts); 0 if none.
   */
  static double commonRate(Map<String, List<RateResult>> results, double bound) {
    double best = 0;
    for (RateResult candidate : results.values().iterator().next()) {
      double rate = candidate.offeredRps();
      boolean all = results.values().stream().allMatch(rs ->
          rs.stream().anyMatch(r -> r.offeredRps() == rate)
              && rs.stream().filter(r -> r.offeredRps() <= rate).allMatch(r -> Saturation.qualifies(r, bound)));
      if (all) {
        best = Math.max(best, rate);
      }
    }
    return best;
  }

  private static double p90At(List<RateResult> results, double rate) {
    return results.stream().filter(r -> r.offeredRps() == rate).mapToDouble(r -> r.corrected().p90Ms())
        .findFirst().orElse(0);
  }
}
