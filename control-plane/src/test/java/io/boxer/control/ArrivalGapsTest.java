package io.boxer.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ArrivalGapsTest {
  private static final long MS = 1_000_000L;
  private static final long HALF = Liveness.GAP_MEMORY.toNanos() / 2;

  @Test
  void remembersTheLongestGap_thenForgetsItWithinTheMemory() {
    long t = 5_000 * MS;
    ArrivalGaps gaps = new ArrivalGaps(t);
    for (int i = 0; i < 10; i++) {
      gaps.arrived(t += 500 * MS);
    }
    gaps.arrived(t += 1_700 * MS); // one late heartbeat
    gaps.arrived(t += 500 * MS);
    assertThat(gaps.recentMaxGapNanos(t)).isEqualTo(1_700 * MS);

    // punctual again: the late one is still remembered a half later, forgotten after a whole memory
    long end = t + 2 * HALF;
    while (t < end) {
      gaps.arrived(t += 500 * MS);
      assertThat(gaps.recentMaxGapNanos(t)).isIn(500 * MS, 1_700 * MS);
    }
    assertThat(gaps.recentMaxGapNanos(t)).isEqualTo(500 * MS);
  }

  @Test
  void aLongSilenceItself_isNotAGapUntilTheNextFrame_andOldBucketsDoNotSurviveIt() {
    long t = 0;
    ArrivalGaps gaps = new ArrivalGaps(t);
    gaps.arrived(t += 400 * MS);
    assertThat(gaps.recentMaxGapNanos(t + 3 * HALF)).isZero(); // silent for long: nothing arrived late yet
    gaps.arrived(t += 3 * HALF);
    assertThat(gaps.recentMaxGapNanos(t)).isEqualTo(3 * HALF);
  }

  @Test
  void toleratedSilence_isTheBaseForPunctualMembers_twiceTheGapForIrregularOnes_cappedAtTheMax() {
    long base = Liveness.SEED_CONFIRMS_AFTER.toNanos();
    long max = Liveness.SEED_CONFIRMS_AFTER_MAX.toNanos();
    assertThat(Liveness.toleratedSilenceNanos(Liveness.SEED_CONFIRMS_AFTER, 500 * MS,
        Liveness.SEED_CONFIRMS_AFTER_MAX)).isEqualTo(base);
    assertThat(Liveness.toleratedSilenceNanos(Liveness.SEED_CONFIRMS_AFTER, 1_200 * MS,
        Liveness.SEED_CONFIRMS_AFTER_MAX)).isEqualTo(2_400 * MS);
    assertThat(Liveness.toleratedSilenceNanos(Liveness.SEED_CONFIRMS_AFTER, 9_000 * MS,
        Liveness.SEED_CONFIRMS_AFTER_MAX)).isEqualTo(max);
  }
}
