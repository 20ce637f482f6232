package io.boxer.deathstar.load;

/**
 * The outcome of one offered rate.
 *
 * @param offeredRps the rate the schedule drew requests at, per second
 * @param achievedRps successful answers completed within the measured window, per second of the window
 * @param measuredSeconds the length of the measured window (warm-up excluded)
 * @param sent requests sent whose intended time fell in the window
 * @param successes of those, answers that passed the response check
 * @param errors of those, failures: wrong answers, HTTP errors, timeouts, requests still unanswered when the run
 *     gave up on them, and drops
 * @param dropped requests never sent because too many were outstanding (counted in errors too)
 * @param corrected latency from each request's intended send time (coordinated-omission corrected)
 * @param uncorrected latency from the actual send time (what a closed-loop tool would report)
 * @param firstError the first failure seen, for diagnosis; empty if none
 */
public record RateResult(
    double offeredRps,
    double achievedRps,
    double measuredSeconds,
    long sent,
    long successes,
    long errors,
    long dropped,
    LatencySummary corrected,
    LatencySummary uncorrected,
    String firstError) {}
