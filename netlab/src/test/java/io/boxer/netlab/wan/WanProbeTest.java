package io.boxer.netlab.wan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class WanProbeTest {
  @Test
  void percentile_isTheNearestRank() {
    long[] sorted = new long[100];
    for (int i = 0; i < 100; i++) {
      sorted[i] = i + 1;
    }
    assertThat(WanProbe.percentile(sorted, 50)).isEqualTo(50);
    assertThat(WanProbe.percentile(sorted, 99)).isEqualTo(99);
    assertThat(WanProbe.percentile(new long[] {7}, 99)).isEqualTo(7);
  }
}
