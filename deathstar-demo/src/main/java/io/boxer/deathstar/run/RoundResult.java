package io.boxer.deathstar.run;

import io.boxer.deathstar.load.RateResult;
import io.boxer.deathstar.load.Saturation;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * One round of the demo: every deployment measured once, in the chosen deployments' order, and those that
 * failed. Ratios are only ever taken within a round, between deployments measured minutes apart.
 *
 * @param round 1-based
 * @param results each measured deployment's load results, by label
 * @param failures each failed deployment's reason, by label
 */
record RoundResult(int round, Map<String, List<RateResult>> results, Map<String, String> failures) {

  /**
   * A deployment's figures in one round.
   *
   * @param saturation its {@link Saturation#throughput}
   * @param p90Ms its corrected p90 at the round's common rate, 0 when there is none
   * @param throughputRatio saturation over deployment 1's; empty without deployment 1 or when it saturated at 0
   * @param p90Ratio p90 over deployment 1's at the common rate; empty when either has none
   */
  record Figures(double saturation, double p90Ms, OptionalDouble throughputRatio, OptionalDouble p90Ratio) {}

  RoundResult {
    results = Collections.unmodifiableMap(new LinkedHashMap<>(results));
    failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
  }

  /** The round with its results in the order of {@code chosen} (a round runs them rotated). */
  static RoundResult inDeploymentOrder(int round, List<Deployment> chosen, Map<String, List<RateResult>> results,
      Map<String, String> failures) {
    Map<String, List<RateResult>> ordered = new LinkedHashMap<>();
    for (Deployment d : chosen) {
      if (results.containsKey(d.label())) {
        ordered.put(d.label(), results.get(d.label()));
      }
    }
    return new RoundResult(round, ordered, failures);
  }

  /**
   * Each deployment's figures among {@code results}, the deployments of one round, in its order: the common rate
   * and deployment 1's figures are computed once for all of them.
   */
  static Map<String, Figures> figures(Map<String, List<RateResult>> results, double p90BoundMs) {
    double common = commonRate(results, p90BoundMs);
    List<RateResult> base = results.get(Deployment.VMS.label());
    double baseSaturation = base == null ? 0 : Saturation.throughput(base, p90BoundMs);
    double baseP90 = base == null ? 0 : p90At(base, common);
    Map<String, Figures> figures = new LinkedHashMap<>();
    results.forEach((label, rates) -> {
      double saturation = Saturation.throughput(rates, p90BoundMs);
      double p90 = p90At(rates, common);
      figures.put(label, new Figures(saturation, p90,
          baseSaturation > 0 ? OptionalDouble.of(saturation / baseSaturation) : OptionalDouble.empty(),
          baseP90 > 0 && p90 > 0 ? OptionalDouble.of(p90 / baseP90) : OptionalDouble.empty()));
    });
    return figures;
  }

  /**
   * The highest offered rate that every deployment ran and served cleanly, together with every lower rate it
   * ran (below its knee, as {@link Saturation#throughput} counts); 0 if none.
   */
  static double commonRate(Map<String, List<RateResult>> results, double bound) {
    double best = 0;
    if (results.isEmpty()) {
      return best; // every deployment of the round failed
    }
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
