package io.boxer.deathstar.load;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The saturation throughput of a deployment: the achieved throughput at the highest offered rate up to which
 * every rate was served cleanly, i.e. with no error at all and a coordinated-omission-corrected p90 latency
 * within a bound. A rate that the deployment could not keep up with builds a queue, which the corrected p90
 * shows; the first such rate is the knee, and a cleaner result at a higher rate after it (on a shared, noisy
 * host a later rate can get lucky) does not count. So this is the most load it sustained while meeting the
 * latency objective at every lower load too.
 */
public final class Saturation {
  /** The p90 bound used when none is given: 100 ms. */
  public static final double DEFAULT_P90_BOUND_MS = 100;

  private Saturation() {}

  /**
   * @return the highest {@link RateResult#achievedRps()} among the results, in order of offered rate, before the
   *     first one with errors or a corrected p90 over {@code p90BoundMs}; 0 if the lowest rate already fails
   */
  public static double throughput(List<RateResult> results, double p90BoundMs) {
    List<RateResult> byRate = new ArrayList<>(results);
    byRate.sort(Comparator.comparingDouble(RateResult::offeredRps));
    double best = 0;
    for (RateResult r : byRate) {
      if (!qualifies(r, p90BoundMs)) {
        break;
      }
      best = Math.max(best, r.achievedRps());
    }
    return best;
  }

  /** Whether {@code result} was served cleanly under the bound. */
  public static boolean qualifies(RateResult result, double p90BoundMs) {
    return result.errors() == 0 && result.successes() > 0 && result.corrected().p90Ms() <= p90BoundMs;
  }
}
