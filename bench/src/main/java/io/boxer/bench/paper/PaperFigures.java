package io.boxer.bench.paper;

import java.util.Map;

/**
 * The paper's own figures (AWS, "Short-lived Datacenters"), as far as the project has them (docs/DESIGN notes:
 * the data plane as fast as native, 429 vs 429 Mbit/s and RTT 194 vs 198 us; connection setup VM-to-VM 1067 us vs
 * 408 us native; function-to-function TTFB mean 2735 us). Where the paper's table or figure is not at hand the
 * report says "not given" rather than guess.
 */
final class PaperFigures {
  static final String NOT_GIVEN = "not given";

  private static final Map<Metric, Map<ConnectionType, String>> FIGURES = Map.of(
      Metric.TTFB, Map.of(
          ConnectionType.VM_TO_VM, "mean 1067 (2.62x)",
          ConnectionType.VM_TO_VM_NATIVE, "mean 408",
          ConnectionType.FUNCTION_TO_FUNCTION, "mean 2735"));

  /** A note under a table, for figures whose connection type the notes do not give. */
  static final Map<Metric, String> NOTES = Map.of(
      Metric.THROUGHPUT_FORWARD, "The paper: the data plane is as fast as native, 429 vs 429 Mbit/s (connection type "
          + "and direction not given in our notes); AWS Lambda caps a function at about 620 Mbit/s.",
      Metric.RTT, "The paper: 194 us with Boxer vs 198 us native (connection type not given in our notes).");

  private PaperFigures() {}

  static String of(Metric metric, ConnectionType type) {
    return FIGURES.getOrDefault(metric, Map.of()).getOrDefault(type, NOT_GIVEN);
  }
}
