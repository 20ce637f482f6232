package io.boxer.deathstar.cli;

import io.boxer.deathstar.load.Saturation;
import io.boxer.deathstar.load.Workload;
import io.boxer.deathstar.run.DemoRun;
import io.boxer.deathstar.run.DemoSetup;
import io.boxer.deathstar.run.Deployment;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code demo}: the three deployments of the paper's Figure 8, each in its own NAT lab, measured and compared. */
@Command(
    name = "demo",
    description = {
        "Runs the social network in three deployments, each in a fresh NAT lab (root: network namespaces):",
        "  1 vms              all services on VMs, no Boxer (ports opened as in security groups)",
        "  2 vms-boxer        all services on VMs under boxer run",
        "  3 functions-boxer  frontend and Redis on VMs, the logic tier in functions behind lambda NATs",
        "For each: verifies answers, then runs the open-loop load generator (on the seed host) at every rate.",
        "With --rounds R the deployments run R times interleaved (the order rotated each round) and each ratio",
        "is reported as the median over the rounds with its range, so that a run says whether a difference is real.",
        "Prints the comparison and writes report.md, per-deployment results and PNG plots into --out."},
    mixinStandardHelpOptions = true,
    showDefaultValues = true)
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--deployments", paramLabel = "D", split = ",", defaultValue = "1,2,3",
      description = "Which deployments, in order: 1|vms, 2|vms-boxer, 3|functions-boxer.")
  List<String> deployments;

  @Option(names = "--workload", paramLabel = "NAME", defaultValue = "mix", converter = WorkloadConverter.class,
      description = "The load generator's workload.")
  Workload workload;

  @Option(names = "--rates", paramLabel = "RATE", split = ",", defaultValue = "100,200,300,400",
      description = "Offered rates in requests/s, comma-separated.")
  List<Double> rates;

  @Option(names = "--duration", paramLabel = "SECONDS", defaultValue = "8", description = "Measured time per rate.")
  int durationSeconds;

  @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "3", description = "Warm-up before each rate.")
  int warmupSeconds;

  @Option(names = "--p90-bound-ms", paramLabel = "MS", defaultValue = "" + Saturation.DEFAULT_P90_BOUND_MS,
      description = "Latency bound of the saturation throughput.")
  double p90BoundMs;

  @Option(names = "--rounds", paramLabel = "R", defaultValue = "3",
      description = "Times every deployment runs, interleaved (1..20); 1 for a quick look (about a third of the time).")
  int rounds;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Results folder. Default: results/deathstar-<time> in the Boxer checkout.")
  Path out;

  @Option(names = "--java", paramLabel = "PATH", description = "The java that runs services and load in the lab. "
      + "Default: this JVM's.")
  Path java;

  @Override
  public Integer call() throws Exception {
    List<Deployment> chosen = new ArrayList<>(new LinkedHashSet<>(parse(deployments)));
    DemoSetup setup = DemoSetup.ofThisCheckout(java);
    Path dir = out != null ? out.toAbsolutePath() : setup.home().resolve("results/deathstar-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    DemoRun.Options options;
    try {
      options = new DemoRun.Options(chosen, workload.cliName(), rates, durationSeconds, warmupSeconds, p90BoundMs,
          rounds, dir);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter err = spec.commandLine().getErr();
    long start = System.nanoTime();
    AtomicBoolean finished = new AtomicBoolean();
    // the labs' own shutdown hooks tear them down; this only says why the run stops early
    Thread interrupted = new Thread(() -> {
      if (!finished.get()) {
        err.println("demo: interrupted; tearing the lab down (results so far in " + dir + ")");
        err.flush();
      }
    });
    Runtime.getRuntime().addShutdownHook(interrupted);
    String report;
    try {
      report = new DemoRun(setup, options, line -> {
        err.printf("[%4ds] %s%n", (System.nanoTime() - start) / 1_000_000_000L, line);
        err.flush();
      }).run();
    } finally {
      finished.set(true);
    }
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.println();
    stdout.print(report);
    stdout.println("\nresults, logs and plots: " + dir);
    stdout.flush();
    return 0;
  }

  private List<Deployment> parse(List<String> names) {
    List<Deployment> list = new ArrayList<>();
    for (String name : names) {
      try {
        list.add(Deployment.parse(name.strip()));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    return list;
  }
}
