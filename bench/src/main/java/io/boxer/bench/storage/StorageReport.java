package io.boxer.bench.storage;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The storage baseline's tables, from the workers' JSON lines: per path the median over runs with the runs' range,
 * and the ratio storage / Boxer computed per run (the runs interleave the paths), as a median with its range.
 * Cost is a proxy at AWS list prices (us-east-1; {@link Prices}).
 */
final class StorageReport {
  private StorageReport() {}

  /** AWS list prices, us-east-1, as published on aws.amazon.com/s3/pricing, /lambda/pricing and /ec2/pricing. */
  static final class Prices {
    static final String AS_OF = "us-east-1 list prices, unchanged from 2023 through 2026-12";
    /** S3 Standard PUT, COPY, POST, LIST: $0.005 per 1,000 requests. */
    static final double S3_PUT = 0.005 / 1000;
    /** S3 Standard GET, SELECT and all other requests: $0.0004 per 1,000. */
    static final double S3_GET = 0.0004 / 1000;
    /** Lambda, x86, per GB-second. */
    static final double LAMBDA_GB_SECOND = 0.0000166667;
    /** The seed's t3.micro (the template's default), per hour, on demand. */
    static final double SEED_HOUR = 0.0104;

    private Prices() {}

    static double s3Requests(Map<String, Long> requests) {
      double cost = 0;
      for (Map.Entry<String, Long> e : requests.entrySet()) {
        cost += e.getValue() * (e.getKey().equals("get") || e.getKey().equals("head") ? S3_GET : S3_PUT);
      }
      return cost;
    }
  }

  @CommandLine.Command(name = "report", description = "Print the tables of a bin/storage-bench results directory.")
  static final class Command implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;
    @Option(names = "--results", required = true, description = "Directory of *.json worker outputs.")
    Path results;
    @Option(names = "--memory-mb", defaultValue = "2048", description = "Lambda memory per function, for cost.")
    int memoryMb;

    @Override
    public Integer call() throws IOException {
      StorageBench.check(spec, "--memory-mb", memoryMb, 128, 10240);
      List<JsonObject> lines = new ArrayList<>();
      try (Stream<Path> files = Files.list(results)) {
        for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
          for (String line : Files.readAllLines(f)) {
            if (line.startsWith("{\"run\"")) {
              lines.add(JsonParser.parseString(line).getAsJsonObject());
            }
          }
        }
      }
      PrintWriter out = spec.commandLine().getOut();
      out.print(message(lines));
      out.print(shuffle(lines, memoryMb / 1024.0));
      out.flush();
      // a run is sane only with results of every kind, and the same data on both paths
      boolean complete = Stream.of("message", "shuffle").allMatch(bench -> lines.stream().anyMatch(
          l -> l.get("bench").getAsString().equals(bench) && l.get("side").getAsString().startsWith("re")));
      if (!complete || !checksumMismatches(lines).isEmpty()) {
        spec.commandLine().getErr().println("storage-bench report: " + (complete ? "checksum mismatch"
            : "no message or no shuffle results in " + results));
        return 1;
      }
      return 0;
    }
  }

  /** The one-message table: receiver latency per path, median of the runs' medians, and the per-run ratio. */
  static String message(List<JsonObject> lines) {
    Map<String, Map<String, Double>> medianByPathAndRun = new TreeMap<>();
    Map<String, Map<String, Double>> requestsPerMessage = new TreeMap<>();
    for (JsonObject l : lines) {
      if (l.get("bench").getAsString().equals("message") && l.get("side").getAsString().equals("receive")) {
        String path = l.get("path").getAsString();
        String run = l.get("run").getAsString();
        medianByPathAndRun.computeIfAbsent(path, p -> new TreeMap<>())
            .put(run, l.getAsJsonObject("latencyMicros").get("median").getAsDouble());
        if (l.has("requests")) {
          double n = l.getAsJsonObject("requests").entrySet().stream().mapToDouble(e -> e.getValue().getAsDouble()).sum();
          requestsPerMessage.computeIfAbsent(path, p -> new TreeMap<>()).put(run, n / l.get("count").getAsDouble());
        }
      }
    }
    StringBuilder s = new StringBuilder("\n### One message between two functions (receiver's latency)\n\n");
    s.append("| path | median latency, ms (median of runs) | range of run medians, ms | runs | GETs per message |\n");
    s.append("|---|---|---|---|---|\n");
    medianByPathAndRun.forEach((path, runs) -> {
      Stats st = Stats.of(runs.values().stream().mapToDouble(Double::doubleValue).toArray());
      Map<String, Double> reqs = requestsPerMessage.get(path);
      s.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f - %.2f | %d | %s |\n", label(path), st.median() / 1000,
          st.min() / 1000, st.max() / 1000, st.count(),
          reqs == null ? "-" : String.format(Locale.ROOT, "%.1f", Stats.of(reqs.values().stream()
              .mapToDouble(Double::doubleValue).toArray()).median())));
    });
    for (String direct : List.of("tcp", "tcp-reused")) {
      s.append(ratio(medianByPathAndRun.get("s3"), medianByPathAndRun.get(direct),
          "storage / " + label(direct) + " (latency)"));
    }
    return s.toString();
  }

  /** The shuffle table: time, bytes, requests and cost per path; ratios per run. */
  static String shuffle(List<JsonObject> lines, double memoryGb) {
    Map<String, Map<String, List<JsonObject>>> byPathAndRun = new TreeMap<>();
    for (JsonObject l : lines) {
      if (l.get("bench").getAsString().equals("shuffle")) {
        byPathAndRun.computeIfAbsent(l.get("path").getAsString(), p -> new TreeMap<>())
            .computeIfAbsent(l.get("run").getAsString(), r -> new ArrayList<>()).add(l);
      }
    }
    Map<String, Map<String, Double>> seconds = new TreeMap<>();
    Map<String, Map<String, Double>> costs = new TreeMap<>();
    StringBuilder rows = new StringBuilder();
    List<String> mismatches = checksumMismatches(lines);
    byPathAndRun.forEach((path, runs) -> runs.forEach((run, workers) -> {
      long start = Long.MAX_VALUE;
      long done = 0;
      long bytes = 0;
      int functions = workers.size();
      Map<String, Long> requests = new TreeMap<>();
      for (JsonObject w : workers) {
        if (w.get("side").getAsString().equals("reduce")) {
          start = Math.min(start, w.get("startAtMillis").getAsLong());
          done = Math.max(done, w.get("doneAtMillis").getAsLong());
          bytes += w.get("bytes").getAsLong();
        }
        w.getAsJsonObject("requests").entrySet().forEach(e -> requests.merge(e.getKey(), e.getValue().getAsLong(),
            Long::sum));
      }
      double secs = (done - start) / 1000.0;
      double lambda = functions * secs * memoryGb * Prices.LAMBDA_GB_SECOND;
      double cost = lambda + (path.equals("s3") ? Prices.s3Requests(requests) : Prices.SEED_HOUR * secs / 3600);
      seconds.computeIfAbsent(path, p -> new TreeMap<>()).put(run, secs);
      costs.computeIfAbsent(path, p -> new TreeMap<>()).put(run, cost);
      rows.append(String.format(Locale.ROOT, "| %s | %s | %d | %.2f | %.1f | %s | $%.6f |\n", label(path), run,
          functions, secs, bytes / 1048576.0, requests.isEmpty() ? "-" : requests.toString(), cost));
    }));
    StringBuilder s = new StringBuilder("\n### Shuffle (reduce by key)\n\n");
    s.append("| path | run | functions | time, s | MiB shuffled | S3 requests | cost proxy |\n");
    s.append("|---|---|---|---|---|---|---|\n").append(rows);
    s.append(ratio(seconds.get("s3"), seconds.get("boxer"), "storage / Boxer (time)"));
    s.append(ratio(costs.get("s3"), costs.get("boxer"), "storage / Boxer (cost)"));
    s.append(mismatches.isEmpty() ? "\nEvery reducer's record checksum is the same on both paths.\n"
        : "\nCHECKSUM MISMATCH (the paths moved different data): " + mismatches + "\n");
    s.append(String.format(Locale.ROOT, "\nCost proxy: Lambda at $%.10f per GB-second x %.2f GB x functions x time,"
        + " plus S3 requests (PUT/LIST $%.4f, GET $%.5f per 1,000) or the seed's t3.micro ($%.4f per hour) for the"
        + " time; %s.\n", Prices.LAMBDA_GB_SECOND, memoryGb, Prices.S3_PUT * 1000, Prices.S3_GET * 1000,
        Prices.SEED_HOUR, Prices.AS_OF));
    return s.toString();
  }

  /** Reducers whose checksum differs from the same reducer's in another run or path: "PATH RUN rN". */
  static List<String> checksumMismatches(List<JsonObject> lines) {
    Map<Integer, Long> first = new TreeMap<>();
    List<String> mismatches = new ArrayList<>();
    for (JsonObject l : lines) {
      if (l.get("bench").getAsString().equals("shuffle") && l.get("side").getAsString().equals("reduce")) {
        int reducer = l.get("worker").getAsInt();
        long sum = l.get("checksum").getAsLong();
        Long earlier = first.putIfAbsent(reducer, sum);
        if (earlier != null && earlier != sum) {
          mismatches.add(l.get("path").getAsString() + " " + l.get("run").getAsString() + " r" + reducer);
        }
      }
    }
    return mismatches;
  }

  /** "label: median x (min - max over N runs)" of a / b, run by run; empty when either side is missing. */
  static String ratio(Map<String, Double> a, Map<String, Double> b, String label) {
    if (a == null || b == null) {
      return "";
    }
    List<Double> ratios = new ArrayList<>();
    a.forEach((run, value) -> {
      Double other = b.get(run);
      if (other != null && other > 0) {
        ratios.add(value / other);
      }
    });
    if (ratios.isEmpty()) {
      return "";
    }
    Stats st = Stats.of(ratios.stream().mapToDouble(Double::doubleValue).toArray());
    return String.format(Locale.ROOT, "\n%s: **%.2fx** median (%.2f - %.2f over %d runs)\n", label, st.median(),
        st.min(), st.max(), st.count());
  }

  private static String label(String path) {
    return switch (path) {
      case "s3" -> "S3 (s3proxy on a VM)";
      case "tcp" -> "Boxer, new connection per message";
      case "tcp-reused" -> "Boxer, one connection";
      case "boxer" -> "Boxer";
      default -> path;
    };
  }
}
