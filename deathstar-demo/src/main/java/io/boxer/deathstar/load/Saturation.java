package io.boxer.deathstar.load;

import java.util.List;

/**
 * The saturation throughput of a deployment: the highest achieved throughput over its offered rates that were
 * served cleanly, i.e. with no error at all and a coordinated-omission-corrected p90 latency within a bound. A
 * rate that the deployment could not keep up with builds a queue, which the corrected p90 shows; so this is the
 * most load it sustained while meeting the latency objective.
 */
public final class Saturation {
  /** The p90 bound used when none is given: 100 ms. */
  public static final double DEFAULT_P90_BOUND_MS = 100;

  private Saturation() {}

  /**
   * @return the highest {@link RateResult#achievedRps()} among results with {@code errors == 0} and
   *     {@code corrected.p90Ms <= p90BoundMs}; 0 if none qualifies
   */
  public static double throughput(List<RateResult> results, double p90BoundMs) {
    double best = 0;
    for (RateResult r : results) {
      if (qualifies(r, p90BoundMs)) {
        best = Math.max(best, r.achievedRps());
      }
    }
    return best;
  }

  /** Whether {@code result} was served cleanly under the bound. */
  public static boolean qualifies(RateResult result, double p90BoundMs) {
    return result.errors() == 0 && result.successes() > 0 && result.corrected().p90Ms() <= p90BoundMs;
  }
}
