package io.boxer.deathstar.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class LatencySummaryTest {
  @Test
  void ofMicros_percentilesInMilliseconds() {
    Histogram micros = new Histogram(3);
    for (int ms = 1; ms <= 1000; ms++) {
      micros.recordValue(ms * 1000L);
    }

    LatencySummary summary = LatencySummary.ofMicros(micros);

    assertThat(summary.count()).isEqualTo(1000);
    assertThat(summary.p50Ms()).isCloseTo(500, within(0.5));
    assertThat(summary.p90Ms()).isCloseTo(900, within(0.9));
    assertThat(summary.p99Ms()).isCloseTo(990, within(1.0));
    assertThat(summary.maxMs()).isCloseTo(1000, within(1.0));
  }

  @Test
  void ofMicros_empty_isAllZero() {
    assertThat(LatencySummary.ofMicros(new Histogram(3))).isEqualTo(LatencySummary.EMPTY);
  }
}
