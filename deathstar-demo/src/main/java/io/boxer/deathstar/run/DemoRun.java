package io.boxer.deathstar.run;

import io.boxer.deathstar.load.Plots;
import io.boxer.deathstar.load.RateResult;
import io.boxer.deathstar.load.Report;
import io.boxer.deathstar.load.ResultFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
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
 * the output folder. With several rounds the deployments run interleaved, the order rotated each round (1 2 3,
 * 2 3 1, 3 1 2, ...), so that a slow spell of this shared machine does not always fall on the same deployment,
 * and the report gives each ratio as the median over the rounds with its range ({@link RoundsSummary}). Not
 * thread-safe; one run per instance.
 */
public final class DemoRun {

  /**
   * What to run.
   *
   * @param deployments in order, at least one
   * @param workload the load generator's workload name
   * @param rates offered rates in requests/s, ascending
   * @param rounds how many times every deployment runs, interleaved, 1..{@value #MAX_ROUNDS}
   */
  public record Options(List<Deployment> deployments, String workload, List<Double> rates, int durationSeconds,
      int warmupSeconds, double p90BoundMs, int rounds, Path out) {
    public Options {
      if (rounds < 1 || rounds > MAX_ROUNDS) {
        throw new IllegalArgumentException("rounds : " + rounds + " (expected: 1.." + MAX_ROUNDS + ")");
      }
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

  /** A bound on the run's length: each round is several minutes. */
  static final int MAX_ROUNDS = 20;

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
   * Runs every deployment, round by round, and writes the report.
   *
   * @return the report text (also in {@code out/report.md})
   * @throws IOException when no deployment could be measured; a deployment that fails is reported and skipped
   */
  public String run() throws IOException, InterruptedException {
    Files.createDirectories(options.out());
    List<RoundResult> rounds = new ArrayList<>();
    boolean measuredAny = false;
    for (int round = 1; round <= options.rounds(); round++) {
      Map<String, List<RateResult>> results = new LinkedHashMap<>();
      Map<String, String> failures = new LinkedHashMap<>();
      for (Deployment d : order(options.deployments(), round)) {
        progress.accept(roundPrefix(round) + "deployment " + (d.ordinal() + 1) + "/" + Deployment.values().length
            + ": " + d.label() + " (" + d.description() + ")");
        try {
          results.put(d.label(), measure(d, roundDir(round).resolve(d.label())));
        } catch (IOException e) {
          failures.put(d.label(), e.getMessage());
          progress.accept("deployment " + d.label() + " FAILED: " + e.getMessage());
        }
      }
      RoundResult result = RoundResult.inDeploymentOrder(round, options.deployments(), results, failures);
      rounds.add(result);
      if (!results.isEmpty()) {
        measuredAny = true;
        List<Path> plots = Plots.write(result.results(), roundDir(round));
        progress.accept("plots: " + plots.stream().map(p -> options.out().relativize(p).toString())
            .collect(Collectors.joining(", ")));
      }
    }
    if (!measuredAny) {
      throw new IOException("no deployment could be measured: " + rounds.stream().map(RoundResult::failures).toList());
    }
    String report = report(rounds);
    Files.writeString(options.out().resolve("report.md"), report, StandardCharsets.UTF_8);
    List<String> failed = rounds.stream().flatMap(r -> r.failures().keySet().stream().map(l -> l + roundSuffix(r)))
        .toList();
    if (!failed.isEmpty()) {
      throw new IOException("deployments failed: " + String.join(", ", failed) + " (see " + options.out()
          + "; the others are reported)");
    }
    return report;
  }

  /** Round {@code round}'s order: the chosen order rotated by {@code round - 1}. */
  static List<Deployment> order(List<Deployment> chosen, int round) {
    List<Deployment> order = new ArrayList<>(chosen);
    Collections.rotate(order, -((round - 1) % order.size()));
    return order;
  }

  /** One round keeps the layout of a single run: {@code out/<deployment>}; several get {@code out/round-N/}. */
  private Path roundDir(int round) {
    return options.rounds() == 1 ? options.out() : options.out().resolve("round-" + round);
  }

  private String roundPrefix(int round) {
    return options.rounds() == 1 ? "" : "round " + round + "/" + options.rounds() + ", ";
  }

  private String roundSuffix(RoundResult round) {
    return options.rounds() == 1 ? "" : " (round " + round.round() + ")";
  }

  private List<RateResult> measure(Deployment d, Path dir) throws IOException, InterruptedException {
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

  /** The whole report, as Markdown: each round's comparison, then (with several rounds) the ratios across them. */
  String report(List<RoundResult> rounds) {
    StringBuilder out = new StringBuilder();
    out.append("# DeathStar social network: Boxer deployments compared\n\n");
    out.append(String.format(Locale.ROOT, "Workload %s, offered rates %s req/s, %d s measured per rate after %d s "
        + "warm-up. Latencies in ms; corrected = from the intended send time (coordinated omission), uncorr. = "
        + "from the actual send time.%n%n", options.workload(), options.rates(), options.durationSeconds(),
        options.warmupSeconds()));
    for (Deployment d : options.deployments()) {
      out.append("- ").append(d.ordinal() + 1).append(". `").append(d.label()).append("`: ")
          .append(d.description()).append(failures(rounds, d.label())).append('\n');
    }
    if (rounds.size() > 1) {
      out.append(String.format(Locale.ROOT, "%n%d rounds, interleaved: each round runs the deployments in turn, "
          + "the order rotated by one each round; each ratio is taken within its round.%n", rounds.size()));
      out.append('\n').append(new RoundsSummary(rounds, options.p90BoundMs()).markdown());
    }
    for (RoundResult round : rounds) {
      if (rounds.size() > 1) {
        out.append(String.format(Locale.ROOT, "%n## Round %d (order: %s)%n", round.round(), order(
            options.deployments(), round.round()).stream().map(Deployment::label).collect(Collectors.joining(", "))));
      }
      if (!round.results().isEmpty()) {
        out.append('\n').append(roundComparison(round.results()));
      } else {
        out.append("\nNo deployment was measured in this round (the failures are listed above).\n");
      }
    }
    out.append("\nGoals: deployment 2 keeps >= 0.97 of deployment 1's saturation throughput with p90 <= "
        + "1.2x (the paper: 0.94 and 1.59x on reads).\n");
    return out.toString();
  }

  /** " — FAILED: reason" for a deployment that failed (naming the rounds, and the first round's reason), or "". */
  private String failures(List<RoundResult> rounds, String label) {
    List<RoundResult> failed = rounds.stream().filter(r -> r.failures().containsKey(label)).toList();
    if (failed.isEmpty()) {
      return "";
    }
    String reason = failed.get(0).failures().get(label);
    if (options.rounds() == 1) {
      return " — FAILED: " + reason;
    }
    return " — FAILED in round" + (failed.size() > 1 ? "s " : " ")
        + failed.stream().map(r -> Integer.toString(r.round())).collect(Collectors.joining(", "))
        + (failed.size() > 1 ? " (the first: " : " (") + reason + ")";
  }

  /** One round's comparison: table, saturation throughput, p90 at a common load, ratios to deployment 1. */
  String roundComparison(Map<String, List<RateResult>> results) {
    double bound = options.p90BoundMs();
    StringBuilder out = new StringBuilder();
    out.append("```\n").append(Report.table(results)).append("```\n\n");
    double common = RoundResult.commonRate(results, bound);
    out.append(String.format(Locale.ROOT, "Saturation throughput: the achieved throughput at the highest offered "
        + "rate up to which every rate was served with no error and corrected p90 <= %.0f ms (the knee). p90: "
        + "corrected, at %s.%n%n", bound,
        common > 0 ? String.format(Locale.ROOT, "%.0f req/s offered, the highest rate below every deployment's "
            + "knee", common) : "no rate below every deployment's knee (n/a)"));
    out.append("| deployment | saturation req/s | p90 ms | throughput vs 1 | p90 vs 1 |\n|---|---:|---:|---:|---:|\n");
    for (Map.Entry<String, RoundResult.Figures> entry : RoundResult.figures(results, bound).entrySet()) {
      String label = entry.getKey();
      RoundResult.Figures f = entry.getValue();
      out.append(String.format(Locale.ROOT, "| %s | %.1f | %s | %s | %s |%n", label, f.saturation(),
          f.p90Ms() > 0 ? String.format(Locale.ROOT, "%.2f", f.p90Ms()) : "n/a",
          f.throughputRatio().isPresent() ? String.format(Locale.ROOT, "%.2f", f.throughputRatio().getAsDouble())
              : "n/a",
          f.p90Ratio().isPresent() ? String.format(Locale.ROOT, "%.2fx", f.p90Ratio().getAsDouble()) : "n/a"));
    }
    return out.toString();
  }
}
