package io.boxer.deathstar.cli;

import io.boxer.deathstar.load.LoadRun;
import io.boxer.deathstar.load.LoadSpec;
import io.boxer.deathstar.load.Plots;
import io.boxer.deathstar.load.RateResult;
import io.boxer.deathstar.load.Report;
import io.boxer.deathstar.load.ResultFile;
import io.boxer.deathstar.load.Saturation;
import io.boxer.deathstar.load.Workload;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code load}: the open-loop load generator. */
@Command(
    name = "load",
    description = {
        "Runs the open-loop load generator against the frontend.",
        "Sends Poisson arrivals at each offered rate and reports, per rate, the achieved throughput and "
            + "p50/p90/p99 latency, corrected for coordinated omission and not. Writes results.json, results.csv "
            + "and report.txt into --out (and PNG plots with --plot).",
        "Workloads: read-user-timeline, read-home-timeline, compose-post, follow, mix (30%% read-home-timeline, "
            + "30%% read-user-timeline, 30%% compose-post, 10%% follow)."},
    mixinStandardHelpOptions = true,
    showDefaultValues = true)
final class LoadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--target", paramLabel = "URL", defaultValue = "${env:DEATHSTAR_TARGET}",
      description = "The frontend, http://HOST:PORT (env DEATHSTAR_TARGET).")
  String target;

  @Option(names = "--workload", paramLabel = "NAME", defaultValue = "mix", converter = WorkloadConverter.class,
      description = "What to send.")
  Workload workload;

  @Option(names = "--rates", paramLabel = "RATE", split = ",", defaultValue = "50,100,200",
      description = "Offered rates in requests/s, comma-separated, run in order.")
  List<Double> rates;

  @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "30", description = "Measured time per rate.")
  int durationSeconds;

  @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "10",
      description = "Unmeasured time before each rate's measurement.")
  int warmupSeconds;

  @Option(names = "--users", paramLabel = "N", defaultValue = "300",
      description = "Seeded users (the social-graph's graph.users).")
  int users;

  @Option(names = "--connections", paramLabel = "N", defaultValue = "64",
      description = "Most requests in flight (HTTP connections); later arrivals queue.")
  int connections;

  @Option(names = "--max-outstanding", paramLabel = "N", defaultValue = "10000",
      description = "Most requests queued plus in flight; arrivals beyond are dropped and counted as errors.")
  int maxOutstanding;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10", description = "Per-request timeout.")
  int timeoutSeconds;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seeds arrivals and requests.")
  long seed;

  @Option(names = "--prefill-posts", paramLabel = "N",
      description = "Posts composed before measuring. Default: --users for workloads that read timelines, else 0.")
  Integer prefillPosts;

  @Option(names = "--label", paramLabel = "NAME", defaultValue = "deployment",
      description = "The deployment's name in reports and plots.")
  String label;

  @Option(names = "--out", paramLabel = "DIR", description = "Where to write results. Default: deathstar-results/LABEL.")
  Path out;

  @Option(names = "--p90-bound-ms", paramLabel = "MS", defaultValue = "" + Saturation.DEFAULT_P90_BOUND_MS,
      description = "Latency bound of the reported saturation throughput.")
  double p90BoundMs;

  @Option(names = "--plot", description = "Also write throughput-latency PNGs of this run into --out.")
  boolean plot;

  @Override
  public Integer call() throws Exception {
    LoadSpec loadSpec = validate();
    Path dir = out != null ? out : Path.of("deathstar-results", label);
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter stderr = spec.commandLine().getErr();
    List<RateResult> results = LoadRun.run(loadSpec, line -> {
      stderr.println("load: " + line);
      stderr.flush();
    });
    Map<String, List<RateResult>> byLabel = Map.of(label, results);
    String report = Report.table(byLabel) + Report.saturation(byLabel, p90BoundMs);
    new ResultFile(label, workload.cliName(), results).write(dir);
    Files.writeString(dir.resolve("report.txt"), report, StandardCharsets.UTF_8);
    if (plot && results.stream().anyMatch(r -> r.successes() > 0)) {
      Plots.write(byLabel, dir);
    }
    stdout.print(report);
    stdout.println("results in " + dir.toAbsolutePath());
    stdout.flush();
    return 0;
  }

  private LoadSpec validate() {
    if (target == null || target.isBlank()) {
      throw usage("--target : missing (expected: http://HOST:PORT, or set DEATHSTAR_TARGET)");
    }
    URI uri;
    try {
      uri = new URI(target);
    } catch (URISyntaxException e) {
      throw usage("--target : '" + target + "' (expected: http://HOST:PORT)");
    }
    check(durationSeconds >= 1 && durationSeconds <= 3600, "--duration", durationSeconds, "1..3600");
    check(warmupSeconds >= 0 && warmupSeconds <= 3600, "--warmup", warmupSeconds, "0..3600");
    check(users >= 2, "--users", users, ">= 2");
    check(timeoutSeconds >= 1 && timeoutSeconds <= 600, "--timeout", timeoutSeconds, "1..600");
    check(Double.isFinite(p90BoundMs) && p90BoundMs > 0, "--p90-bound-ms", p90BoundMs, "> 0");
    try {
      LoadSpec loadSpec = LoadSpec.of(label, uri, workload, rates)
          .withTiming(Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(durationSeconds))
          .withUsers(users)
          .withConnections(connections, maxOutstanding)
          .withRequestTimeout(Duration.ofSeconds(timeoutSeconds))
          .withSeed(seed);
      return prefillPosts == null ? loadSpec : loadSpec.withPrefillPosts(prefillPosts);
    } catch (IllegalArgumentException e) {
      // LoadSpec names its fields; the flags carry the same names in kebab case
      throw usage("--" + e.getMessage().replace("maxOutstanding", "max-outstanding")
          .replace("requestTimeout", "timeout").replace("prefillPosts", "prefill-posts"));
    }
  }

  private void check(boolean ok, String flag, Object value, String expected) {
    if (!ok) {
      throw usage(flag + " : " + value + " (expected: " + expected + ")");
    }
  }

  private ParameterException usage(String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
