package io.boxer.deathstar.run;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.function.Function;

/**
 * The demo's figures across interleaved rounds: per deployment the median and range of its saturation throughput,
 * its p90 and its ratios to deployment 1 (each ratio taken within a round), and for each ratio whether the
 * rounds agree that it differs from 1.
 */
final class RoundsSummary {
  private final List<RoundResult> rounds;
  /** Each round's figures by deployment, computed once. */
  private final List<Map<String, RoundResult.Figures>> figuresByRound;

  RoundsSummary(List<RoundResult> rounds, double p90BoundMs) {
    this.rounds = List.copyOf(rounds);
    this.figuresByRound = this.rounds.stream().map(r -> RoundResult.figures(r.results(), p90BoundMs)).toList();
  }

  /** The summary as Markdown: a table and one verdict line per ratio of a deployment other than 1. */
  String markdown() {
    StringBuilder out = new StringBuilder();
    out.append("## Across ").append(rounds.size()).append(" rounds: median (range)\n\n");
    out.append("| deployment | rounds | saturation req/s | p90 ms | throughput vs 1 | p90 vs 1 |\n"
        + "|---|---:|---:|---:|---:|---:|\n");
    List<String> verdicts = new ArrayList<>();
    for (String label : labels()) {
      List<RoundResult.Figures> figures = figures(label);
      Spread saturation = Spread.of(figures.stream().map(RoundResult.Figures::saturation).toList());
      List<Double> p90s = figures.stream().map(RoundResult.Figures::p90Ms).filter(p -> p > 0).toList();
      List<Double> throughputRatios = present(figures, RoundResult.Figures::throughputRatio);
      List<Double> p90Ratios = present(figures, RoundResult.Figures::p90Ratio);
      out.append(String.format(Locale.ROOT, "| %s | %d | %s | %s | %s | %s |%n", label, figures.size(),
          saturation.format("%.1f"), p90s.isEmpty() ? "n/a" : Spread.of(p90s).format("%.2f"),
          throughputRatios.isEmpty() ? "n/a" : Spread.of(throughputRatios).format("%.2f"),
          p90Ratios.isEmpty() ? "n/a" : Spread.of(p90Ratios).format("%.2fx")));
      if (!label.equals(Deployment.VMS.label())) {
        verdict(label, "throughput vs 1", throughputRatios).ifPresent(verdicts::add);
        verdict(label, "p90 vs 1", p90Ratios).ifPresent(verdicts::add);
      }
    }
    if (!verdicts.isEmpty()) {
      out.append('\n');
      verdicts.forEach(v -> out.append("- ").append(v).append('\n'));
    }
    return out.toString();
  }

  private static Optional<String> verdict(String label, String what, List<Double> ratios) {
    if (ratios.size() < 2) {
      return Optional.empty();
    }
    Spread spread = Spread.of(ratios);
    String range = String.format(Locale.ROOT, "%.2f-%.2f", spread.min(), spread.max());
    if (spread.excludes(1.0)) {
      return Optional.of(String.format(Locale.ROOT, "`%s` %s: %s 1.00 in all %d rounds (%s): a "
          + "difference the rounds agree on", label, what, spread.max() < 1.0 ? "below" : "above", ratios.size(),
          range));
    }
    return Optional.of(String.format(Locale.ROOT, "`%s` %s: the rounds' range %s includes 1.00: no "
        + "difference shown at this noise", label, what, range));
  }

  /** Every deployment measured in some round, in the first round's order, then any others. */
  private Set<String> labels() {
    Set<String> labels = new LinkedHashSet<>();
    rounds.forEach(r -> labels.addAll(r.results().keySet()));
    return labels;
  }

  private List<RoundResult.Figures> figures(String label) {
    return figuresByRound.stream().filter(f -> f.containsKey(label)).map(f -> f.get(label)).toList();
  }

  private static List<Double> present(List<RoundResult.Figures> figures,
      Function<RoundResult.Figures, OptionalDouble> ratio) {
    return figures.stream().map(ratio).filter(OptionalDouble::isPresent).map(OptionalDouble::getAsDouble).toList();
  }
}
