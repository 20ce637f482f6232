package io.boxer.bench.paper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EcdfTest {
  @Test
  void ecdf_sortsTheSamplesAndStepsByOneOverN() {
    Ecdf ecdf = new Ecdf(new double[] {30, 10, 20, 40});
    assertThat(ecdf.xs()).containsExactly(10, 20, 30, 40);
    assertThat(ecdf.ys()).containsExactly(0.25, 0.5, 0.75, 1.0);
  }

  @Test
  void at_countsSamplesAtOrBelow_tiesIncluded() {
    Ecdf ecdf = new Ecdf(new double[] {5, 1, 5, 9});
    assertThat(ecdf.at(0)).isEqualTo(0.0);
    assertThat(ecdf.at(1)).isEqualTo(0.25);
    assertThat(ecdf.at(5)).isEqualTo(0.75);
    assertThat(ecdf.at(6)).isEqualTo(0.75);
    assertThat(ecdf.at(9)).isEqualTo(1.0);
    assertThat(ecdf.at(100)).isEqualTo(1.0);
  }

  @Test
  void ecdf_refusesNoSamples() {
    assertThatThrownBy(() -> new Ecdf(new double[0])).isInstanceOf(IllegalArgumentException.class);
  }
}
