package io.boxer.control;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LivenessTest {
  @Test
  void theNextBeat_isTheNextMultipleOfTheHeartbeatInterval_onTheWallClock() {
    long interval = Liveness.HEARTBEAT_INTERVAL.toMillis();
    assertThat(Liveness.millisToNextBeat(10 * interval)).isEqualTo(interval); // on a beat: the next one
    assertThat(Liveness.millisToNextBeat(10 * interval + 1)).isEqualTo(interval - 1);
    assertThat(Liveness.millisToNextBeat(11 * interval - 1)).isEqualTo(1);
    assertThat(Liveness.millisToNextBeat(-1)).isEqualTo(1); // a clock before 1970 still lands on a beat
  }

  @Test
  void aPunctualMember_getsTheBaseSilence_anIrregularOneMore_upToTheCap() {
    long base = Liveness.PROBE_AFTER_SILENCE.toNanos();
    long max = Liveness.PROBE_AFTER_SILENCE_MAX.toNanos();
    assertThat(Liveness.toleratedSilenceNanos(Liveness.PROBE_AFTER_SILENCE, 0, Liveness.PROBE_AFTER_SILENCE_MAX))
        .isEqualTo(base);
    assertThat(Liveness.toleratedSilenceNanos(Liveness.PROBE_AFTER_SILENCE, base, Liveness.PROBE_AFTER_SILENCE_MAX))
        .isEqualTo(Math.min(max, Liveness.GAP_TOLERANCE * base));
    assertThat(Liveness.toleratedSilenceNanos(Liveness.PROBE_AFTER_SILENCE, 10 * max, Liveness.PROBE_AFTER_SILENCE_MAX))
        .isEqualTo(max);
  }
}
