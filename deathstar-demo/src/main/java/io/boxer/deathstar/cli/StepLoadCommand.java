package io.boxer.deathstar.cli;

import io.boxer.deathstar.load.LoadRun;
import io.boxer.deathstar.load.LoadSpec;
import io.boxer.deathstar.load.TimelineFile;
import io.boxer.deathstar.load.Workload;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code step-load}: open-loop load that steps up once, counted per second (the burst scenario's load). */
@Command(
    name = "step-load",
    description = {
        "Runs open-loop load against the frontend at --rate, stepping to --step-rate at --step-at seconds, and "
            + "writes the per-second offered, succeeded and failed counts to --out/timeline.csv."},
    mixinStandardHelpOptions = true,
    showDefaultValues = true)
final class StepLoadCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--target", paramLabel = "URL", required = true, description = "The frontend, http://HOST:PORT.")
  String target;

  @Option(names = "--workload", paramLabel = "NAME", defaultValue = "read-user-timeline",
      converter = WorkloadConverter.class, description = "What to send.")
  Workload workload;

  @Option(names = "--rate", paramLabel = "RPS", defaultValue = "40", description = "Offered rate before the step.")
  double rate;

  @Option(names = "--step-rate", paramLabel = "RPS", defaultValue = "120", description = "Offered rate after it.")
  double stepRate;

  @Option(names = "--step-at", paramLabel = "SECONDS", defaultValue = "30", description = "When the rate steps.")
  int stepAt;

  @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "90", description = "The whole run.")
  int duration;

  @Option(names = "--origin-epoch-ms", paramLabel = "MILLIS",
      description = "Wall-clock time (epoch ms) at which second 0 starts, waited for. Default: at once.")
  Long originEpochMillis;

  @Option(names = "--users", paramLabel = "N", defaultValue = "300", description = "Seeded users.")
  int users;

  @Option(names = "--connections", paramLabel = "N", defaultValue = "64", description = "Most requests in flight.")
  int connections;

  @Option(names = "--max-outstanding", paramLabel = "N", defaultValue = "500",
      description = "Most requests queued plus in flight; arrivals beyond are dropped and counted as failed.")
  int maxOutstanding;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "10", description = "Per-request timeout.")
  int timeoutSeconds;

  @Option(names = "--seed", paramLabel = "N", defaultValue = "1", description = "Seeds arrivals and requests.")
  long seed;

  @Option(names = "--out", paramLabel = "DIR", required = true, description = "Where timeline.csv goes.")
  Path out;

  @Override
  public Integer call() throws Exception {
    check(duration >= 2 && duration <= 3600, "--duration", duration, "2..3600");
    check(stepAt >= 0 && stepAt < duration, "--step-at", stepAt, "0.." + (duration - 1) + ", inside --duration");
    check(timeoutSeconds >= 1 && timeoutSeconds <= 600, "--timeout", timeoutSeconds, "1..600");
    check(originEpochMillis == null || originEpochMillis > 0, "--origin-epoch-ms", originEpochMillis, "> 0");
    LoadSpec loadSpec;
    try {
      loadSpec = LoadSpec.of("step", new URI(target), workload, List.of(rate, stepRate))
          .withTiming(Duration.ZERO, Duration.ofSeconds(duration))
          .withUsers(users)
          .withConnections(connections, maxOutstanding)
          .withRequestTimeout(Duration.ofSeconds(timeoutSeconds))
          .withSeed(seed)
          .withPrefillPosts(0);
    } catch (URISyntaxException e) {
      throw new ParameterException(spec.commandLine(), "--target : '" + target + "' (expected: http://HOST:PORT)");
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--" + e.getMessage()
          .replace("maxOutstanding", "max-outstanding").replace("rates", "rate/--step-rate"));
    }
    PrintWriter err = spec.commandLine().getErr();
    TimelineFile timeline = LoadRun.runStep(loadSpec, Duration.ofSeconds(stepAt),
        originEpochMillis == null ? System.currentTimeMillis() : originEpochMillis, line -> {
          err.println("step-load: " + line);
          err.flush();
        });
    Path file = timeline.write(out);
    spec.commandLine().getOut().println("timeline in " + file.toAbsolutePath());
    return 0;
  }

  private void check(boolean ok, String flag, Object value, String expected) {
    if (!ok) {
      throw new ParameterException(spec.commandLine(), flag + " : " + value + " (expected: " + expected + ")");
    }
  }
}
