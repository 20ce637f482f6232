package io.boxer.bench.paper;

import io.boxer.bench.storage.Stats;
import io.boxer.examples.load.LoadReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Option;

/**
 * The paper's tables from the workers' raw samples: per delay, metric and connection type the mean, median, std,
 * min and max of all samples; the ratio to the type's native reference taken per round (median against median)
 * and reported as the median over the rounds with its range; fan-in and connects per second. Also checks that
 * every figure is there and sane, which the quick run in CI relies on.
 */
final class PaperReport {
  private static final Pattern CONNECTS_FILE = Pattern.compile("connects-(boxer|native)-r(\\d+)\\.txt");
  private static final List<Metric> TABLES = List.of(Metric.THROUGHPUT_FORWARD, Metric.THROUGHPUT_REVERSE,
      Metric.RTT, Metric.TTFB);

  private final List<Measurement> measurements;
  private final List<ConnectRate> connects;

  PaperReport(List<Measurement> measurements, List<ConnectRate> connects) {
    this.measurements = List.copyOf(measurements);
    this.connects = List.copyOf(connects);
  }

  /** Reads every {@code *.json} file's measurement lines and every {@code connects-*.txt} under the lab dirs;
   *  each dir's delay is in its {@code delay} file. */
  static PaperReport read(List<Path> labDirs) throws IOException {
    List<Measurement> measurements = new ArrayList<>();
    List<ConnectRate> connects = new ArrayList<>();
    for (Path dir : labDirs) {
      String delay = Files.readString(dir.resolve("delay")).strip();
      try (Stream<Path> files = Files.list(dir)) {
        for (Path file : files.sorted().toList()) {
          String name = file.getFileName().toString();
          Matcher m = CONNECTS_FILE.matcher(name);
          if (name.endsWith(".json")) {
            Files.readAllLines(file).stream().filter(Measurement::isMeasurement).map(Measurement::parse)
                .forEach(measurements::add);
          } else if (m.matches()) {
            connects.add(new ConnectRate(delay, m.group(1).equals("boxer"), Integer.parseInt(m.group(2)),
                LoadReport.parse(Files.readString(file))));
          }
        }
      }
    }
    return new PaperReport(measurements, connects);
  }

  List<String> delays() {
    TreeSet<String> delays = new TreeSet<>();
    measurements.forEach(m -> delays.add(m.delay()));
    return List.copyOf(delays);
  }

  /** Every sample of one delay, metric and type, pooled over the rounds (fan-in: over senders too). */
  double[] samples(String delay, Metric metric, ConnectionType type) {
    return select(m -> m.delay().equals(delay) && m.metric() == metric && m.type() == type).stream()
        .flatMapToDouble(m -> Arrays.stream(m.samples())).toArray();
  }

  /**
   * The ratio of {@code type} to its native reference, one per round that has both (median of the round's
   * samples against the reference's), summarised by {@link Stats}: its median and range are what the tables show.
   * Null when no round has both.
   */
  Stats ratio(String delay, Metric metric, ConnectionType type) {
    List<Double> ratios = new ArrayList<>();
    for (int round : rounds(delay)) {
      double[] mine = roundSamples(delay, metric, type, round);
      double[] reference = roundSamples(delay, metric, type.reference(), round);
      if (mine.length > 0 && reference.length > 0) {
        ratios.add(Stats.of(mine).median() / Stats.of(reference).median());
      }
    }
    return ratios.isEmpty() ? null : Stats.of(ratios.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** Fan-in: the aggregate Mbit/s of each round at {@code senders} at once (the sum of the senders' means). */
  double[] fanInAggregates(String delay, int senders) {
    Map<Integer, Double> byRound = new TreeMap<>();
    for (Measurement m : select(x -> x.delay().equals(delay) && x.metric() == Metric.FAN_IN && x.senders() == senders)) {
      byRound.merge(m.round(), Stats.of(m.samples()).mean(), Double::sum);
    }
    return byRound.values().stream().mapToDouble(Double::doubleValue).toArray();
  }

  List<Integer> fanInLevels(String delay) {
    return select(m -> m.delay().equals(delay) && m.metric() == Metric.FAN_IN).stream().map(Measurement::senders)
        .distinct().sorted().toList();
  }

  /**
   * The problems that make a run's results unusable: a missing type or metric, a negative sample, a transfer with no
   * throughput at all, a zero latency, a fan-in level without all its senders, failed connects.
   */
  List<String> problems(List<String> expectedDelays, List<Integer> expectedFanIn) {
    List<String> problems = new ArrayList<>();
    for (String delay : expectedDelays) {
      for (Metric metric : TABLES) {
        for (ConnectionType type : ConnectionType.values()) {
          double[] s = samples(delay, metric, type);
          if (s.length == 0) {
            problems.add(delay + " " + metric.id() + " " + type.id() + ": no samples");
          } else if (Arrays.stream(s).anyMatch(v -> !(v >= 0) || Double.isInfinite(v))) {
            problems.add(delay + " " + metric.id() + " " + type.id() + ": a sample is negative or not a number");
          } else if (metric.unit().equals("Mbit/s") ? !(Stats.of(s).mean() > 0) : Arrays.stream(s).anyMatch(v -> v == 0)) {
            // a stalled 250 ms interval of a transfer is a real (if sad) sample; a zero latency or no throughput is not
            problems.add(delay + " " + metric.id() + " " + type.id() + (metric.unit().equals("Mbit/s")
                ? ": no throughput" : ": a zero latency"));
          }
        }
      }
      for (int level : expectedFanIn) {
        double[] aggregates = fanInAggregates(delay, level);
        long senders = select(m -> m.delay().equals(delay) && m.metric() == Metric.FAN_IN && m.senders() == level)
            .size();
        if (aggregates.length == 0 || Arrays.stream(aggregates).anyMatch(v -> !(v > 0))
            || senders != (long) level * aggregates.length) {
          problems.add(delay + " fan-in with " + level + " senders: missing senders or zero throughput");
        }
      }
      for (boolean boxer : new boolean[] {true, false}) {
        List<ConnectRate> rates = connects.stream().filter(c -> c.delay().equals(delay) && c.boxer() == boxer).toList();
        if (rates.isEmpty() || rates.stream().anyMatch(c -> !(c.perSecond() > 0) || c.failed() > 0)) {
          problems.add(delay + " connects per second " + (boxer ? "boxer" : "native") + ": missing, zero or failed connects");
        }
      }
    }
    return problems;
  }

  /** The report in Markdown; {@code images} are the PNG names {@link PaperPlots} wrote, linked where they belong. */
  String markdown(Map<String, String> images) {
    StringBuilder out = new StringBuilder();
    for (String delay : delays()) {
      out.append("## Added round trip ").append(delay).append("\n\n");
      for (Metric metric : TABLES) {
        table(out, delay, metric);
        String image = images.get(PaperPlots.ecdfName(metric, delay));
        if (image != null) {
          out.append("![").append(metric.title()).append(", eCDF, ").append(delay).append("](").append(image).append(")\n\n");
        }
      }
      fanIn(out, delay, images.get(PaperPlots.fanInName(delay)));
      connectRates(out, delay);
    }
    return out.toString();
  }

  private void table(StringBuilder out, String delay, Metric metric) {
    out.append("### ").append(metric.title()).append(", ").append(metric.unit()).append("\n\n")
        .append("| type | samples | mean | median | std | min | max | ratio to native (median of rounds, range) | native reference | paper |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|\n");
    for (ConnectionType type : ConnectionType.values()) {
      double[] s = samples(delay, metric, type);
      if (s.length == 0) {
        out.append("| ").append(type.title()).append(" | 0 | | | | | | | | ").append(PaperFigures.of(metric, type)).append(" |\n");
        continue;
      }
      Stats st = Stats.of(s);
      Stats ratio = ratio(delay, metric, type);
      out.append("| ").append(type.title()).append(" | ").append(st.count())
          .append(" | ").append(number(st.mean())).append(" | ").append(number(st.median()))
          .append(" | ").append(number(st.std())).append(" | ").append(number(st.min()))
          .append(" | ").append(number(st.max())).append(" | ").append(ratioText(ratio))
          .append(" | ").append(type.reference().id()).append(" | ").append(PaperFigures.of(metric, type)).append(" |\n");
    }
    out.append('\n');
    String note = PaperFigures.NOTES.get(metric);
    if (note != null) {
      out.append(note).append("\n\n");
    }
  }

  private void fanIn(StringBuilder out, String delay, String image) {
    List<Integer> levels = fanInLevels(delay);
    if (levels.isEmpty()) {
      return;
    }
    out.append("### Fan-in: N function senders to one function receiver, aggregate Mbit/s\n\n")
        .append("| senders | rounds | aggregate, median of rounds | range | per sender | paper |\n|---|---|---|---|---|---|\n");
    for (int level : levels) {
      Stats st = Stats.of(fanInAggregates(delay, level));
      out.append("| ").append(level).append(" | ").append(st.count()).append(" | ").append(number(st.median()))
          .append(" | ").append(number(st.min())).append(" - ").append(number(st.max()))
          .append(" | ").append(number(st.median() / level)).append(" | ").append(PaperFigures.NOT_GIVEN).append(" |\n");
    }
    out.append('\n');
    if (image != null) {
      out.append("![fan-in, ").append(delay).append("](").append(image).append(")\n\n");
    }
  }

  private void connectRates(StringBuilder out, String delay) {
    List<ConnectRate> rates = connects.stream().filter(c -> c.delay().equals(delay)).toList();
    if (rates.isEmpty()) {
      return;
    }
    out.append("### Connects per second, 64 threads (connect, echo a line, close)\n\n")
        .append("| path | rounds | connects/s, median of rounds | range | failed | paper |\n|---|---|---|---|---|---|\n");
    for (boolean boxer : new boolean[] {false, true}) {
      List<ConnectRate> path = rates.stream().filter(c -> c.boxer() == boxer).toList();
      if (path.isEmpty()) {
        continue;
      }
      Stats st = Stats.of(path.stream().mapToDouble(ConnectRate::perSecond).toArray());
      out.append("| ").append(boxer ? "Boxer, function-to-function" : "native, function-to-VM").append(" | ")
          .append(st.count()).append(" | ").append(number(st.median())).append(" | ").append(number(st.min()))
          .append(" - ").append(number(st.max())).append(" | ").append(path.stream().mapToInt(ConnectRate::failed).sum())
          .append(" | ").append(PaperFigures.NOT_GIVEN).append(" |\n");
    }
    List<Double> ratios = new ArrayList<>();
    for (ConnectRate b : rates) {
      rates.stream().filter(n -> !n.boxer() && b.boxer() && n.round() == b.round()).findFirst()
          .ifPresent(n -> ratios.add(b.perSecond() / n.perSecond()));
    }
    if (!ratios.isEmpty()) {
      out.append("\nBoxer / native: ").append(ratioText(Stats.of(ratios.stream().mapToDouble(Double::doubleValue).toArray())))
          .append(" (per round, median and range)\n");
    }
    out.append('\n');
  }

  static String ratioText(Stats ratio) {
    if (ratio == null) {
      return "-";
    }
    String median = String.format(Locale.ROOT, "%.2fx", ratio.median());
    return ratio.count() == 1 ? median + " (1 round)"
        : median + String.format(Locale.ROOT, " (%.2f - %.2f, %d rounds)", ratio.min(), ratio.max(), ratio.count());
  }

  static String number(double v) {
    return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
  }

  private List<Measurement> select(Predicate<Measurement> filter) {
    return measurements.stream().filter(filter).toList();
  }

  private List<Integer> rounds(String delay) {
    return select(m -> m.delay().equals(delay)).stream().map(Measurement::round).distinct().sorted().toList();
  }

  private double[] roundSamples(String delay, Metric metric, ConnectionType type, int round) {
    return select(m -> m.delay().equals(delay) && m.metric() == metric && m.type() == type && m.round() == round)
        .stream().flatMapToDouble(m -> Arrays.stream(m.samples())).toArray();
  }

  List<Measurement> measurements() {
    return measurements;
  }

  @picocli.CommandLine.Command(name = "report",
      description = "Tables (report.md), eCDF and fan-in PNGs from the lab dirs; exit 1 if a figure is missing or insane.")
  static final class Command implements Callable<Integer> {
    @Option(names = "--results", required = true, split = ",", paramLabel = "DIR", description = "Lab result dirs.")
    List<Path> results;
    @Option(names = "--out", required = true, paramLabel = "DIR") Path out;
    @Option(names = "--fan-in", split = ",", description = "The fan-in levels that must be there, e.g. 1,2,4,8.")
    List<Integer> fanIn = List.of();

    @Override
    public Integer call() throws IOException {
      PaperReport report = read(results);
      List<String> delays = new ArrayList<>();
      for (Path dir : results) {
        delays.add(Files.readString(dir.resolve("delay")).strip());
      }
      Files.createDirectories(out);
      Map<String, String> images;
      try {
        images = PaperPlots.write(report, out);
      } catch (UncheckedIOException e) {
        throw e.getCause();
      }
      String markdown = report.markdown(images);
      Files.writeString(out.resolve("report.md"), markdown);
      System.out.print(markdown);
      List<String> problems = report.problems(delays, fanIn);
      if (!problems.isEmpty()) {
        System.err.println("paper-bench report: the results are incomplete or insane:");
        problems.forEach(p -> System.err.println("  " + p));
        return 1;
      }
      return 0;
    }
  }
}
