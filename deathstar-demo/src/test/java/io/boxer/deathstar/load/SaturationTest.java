package io.boxer.deathstar.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SaturationTest {
  @Test
  void throughput_isTheBestCleanRateUnderTheBound() {
    List<RateResult> results = List.of(
        Results.of(100, 99, 20, 0),
        Results.of(200, 197, 60, 0),
        Results.of(400, 310, 900, 0), // over the bound: queueing
        Results.of(800, 320, 50, 12)); // errors

    assertThat(Saturation.throughput(results, 100)).isEqualTo(197);
  }

  @Test
  void throughput_stopsAtTheKnee_aLuckyHigherRateDoesNotCount() {
    List<RateResult> results = List.of(
        Results.of(350, 346, 127, 0), // the knee
        Results.of(100, 105, 24, 0),
        Results.of(300, 292, 66, 0),
        Results.of(400, 397, 57, 0)); // clean again, after the knee

    assertThat(Saturation.throughput(results, 100)).isEqualTo(292);
  }

  @Test
  void throughput_nothingQualifies_isZero() {
    assertThat(Saturation.throughput(List.of(Results.of(100, 50, 500, 0)), 100)).isZero();
  }
}
