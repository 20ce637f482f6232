package io.boxer.deathstar.cli;

import io.boxer.deathstar.load.Plots;
import io.boxer.deathstar.load.RateResult;
import io.boxer.deathstar.load.Report;
import io.boxer.deathstar.load.ResultFile;
import io.boxer.deathstar.load.Saturation;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code plot}: compares deployments from their results.json files, as a table and as PNGs. */
@Command(
    name = "plot",
    description = {
        "Compares deployments: a table and throughput-latency PNGs.",
        "Reads the results.json of several deployments (labels come from the files), prints their table and "
            + "saturation throughputs, and writes throughput-p50.png, throughput-p90.png and throughput-p99.png."},
    mixinStandardHelpOptions = true,
    showDefaultValues = true)
final class PlotCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "RESULTS_JSON", description = "results.json files written by load.")
  List<Path> files;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where to write the PNGs.")
  Path out;

  @Option(names = "--p90-bound-ms", paramLabel = "MS", defaultValue = "" + Saturation.DEFAULT_P90_BOUND_MS,
      description = "Latency bound of the reported saturation throughput.")
  double p90BoundMs;

  @Override
  public Integer call() throws Exception {
    if (!Double.isFinite(p90BoundMs) || p90BoundMs <= 0) {
      throw new ParameterException(spec.commandLine(), "--p90-bound-ms : " + p90BoundMs + " (expected: > 0)");
    }
    Map<String, List<RateResult>> byLabel = new LinkedHashMap<>();
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        throw new ParameterException(spec.commandLine(), "RESULTS_JSON : " + file + " is not a file");
      }
      ResultFile results = ResultFile.read(file);
      if (byLabel.put(results.label(), results.results()) != null) {
        throw new ParameterException(spec.commandLine(), "RESULTS_JSON : label '" + results.label()
            + "' appears in more than one file (expected: one file per deployment)");
      }
    }
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.print(Report.table(byLabel));
    stdout.print(Report.saturation(byLabel, p90BoundMs));
    for (Path png : Plots.write(byLabel, out)) {
      stdout.println("wrote " + png);
    }
    stdout.flush();
    return 0;
  }
}
