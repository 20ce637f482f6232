package io.boxer.deathstar.load;

/** Test data: rate results with given numbers. */
final class Results {
  private Results() {}

  static RateResult of(double offered, double achieved, double p90Ms, long errors) {
    LatencySummary latency = new LatencySummary(100, p90Ms / 2, p90Ms, p90Ms * 2, p90Ms * 3);
    LatencySummary uncorrected = new LatencySummary(100, p90Ms / 4, p90Ms / 2, p90Ms, p90Ms * 2);
    return new RateResult(offered, achieved, 10, 100 + errors, 100, errors, 0, latency, uncorrected,
        errors == 0 ? "" : "HTTP 503");
  }
}
