package io.boxer.netlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WanSpecTest {
  private static Duration micros(long us) {
    return Duration.ofNanos(us * 1000);
  }

  @Test
  void none_delaysNothing() {
    assertThat(WanSpec.NONE.delays()).isFalse();
    assertThat(WanSpec.NONE.rateMbit()).isZero();
    assertThat(LabSpec.builder().build().wan()).isEqualTo(WanSpec.NONE);
  }

  @Test
  void oneWay_isHalfTheRtt() {
    WanSpec wan = new WanSpec(micros(500), micros(100), 620);
    assertThat(wan.delays()).isTrue();
    assertThat(wan.oneWayMicros()).isEqualTo(250);
    assertThat(wan.jitterMicros()).isEqualTo(100);
  }

  @Test
  void rtt_outOfRange_isRefusedWithTheRange() {
    assertThatThrownBy(() -> new WanSpec(Duration.ofMillis(201), Duration.ZERO, 0))
        .hasMessage("rtt : 201ms (expected: 0 for none, or 2us..200ms in whole microseconds)");
    assertThatThrownBy(() -> new WanSpec(micros(1), Duration.ZERO, 0)).hasMessageStartingWith("rtt : 1us (expected");
    assertThatThrownBy(() -> new WanSpec(Duration.ofMillis(-1), Duration.ZERO, 0)).hasMessageStartingWith("rtt : ");
  }

  @Test
  void rtt_finerThanAMicrosecond_isRefused() {
    assertThatThrownBy(() -> new WanSpec(Duration.ofNanos(500_500), Duration.ZERO, 0))
        .hasMessageStartingWith("rtt : 0.5005ms (expected:");
  }

  @Test
  void jitter_aboveHalfTheRtt_isRefused_soNoDelayIsNegative() {
    assertThat(new WanSpec(micros(1000), micros(500), 0).jitterMicros()).isEqualTo(500);
    assertThatThrownBy(() -> new WanSpec(micros(1000), micros(501), 0))
        .hasMessageStartingWith("jitter : 501us (expected: 0..500us in whole microseconds, at most half the rtt");
    assertThatThrownBy(() -> new WanSpec(Duration.ZERO, micros(1), 0)).hasMessageStartingWith("jitter : 1us");
  }

  @Test
  void rate_outOfRange_isRefused() {
    assertThatThrownBy(() -> new WanSpec(Duration.ZERO, Duration.ZERO, -1))
        .hasMessage("rateMbit : -1 (expected: 0 for none, or 1..100000)");
    assertThat(new WanSpec(Duration.ZERO, Duration.ZERO, 100_000).rateMbit()).isEqualTo(100_000);
  }

  @Test
  void parseDuration_takesMicrosMillisAndSeconds_millisByDefault() {
    assertThat(WanSpec.parseDuration("0.5ms")).isEqualTo(micros(500));
    assertThat(WanSpec.parseDuration("200us")).isEqualTo(micros(200));
    assertThat(WanSpec.parseDuration("2")).isEqualTo(Duration.ofMillis(2));
    assertThat(WanSpec.parseDuration("0.1s")).isEqualTo(Duration.ofMillis(100));
    assertThat(WanSpec.parseDuration("0")).isZero();
  }

  @Test
  void parseDuration_refusesOtherForms() {
    for (String bad : new String[] {"", "-1ms", "1h", "ms", "1.ms"}) {
      assertThatThrownBy(() -> WanSpec.parseDuration(bad)).as(bad)
          .hasMessageContaining("(expected: a number with a unit us, ms or s");
    }
  }

  @Test
  void format_writesWhatParseReads() {
    for (String s : new String[] {"0ms", "200us", "2ms", "1.5ms"}) {
      assertThat(WanSpec.format(WanSpec.parseDuration(s))).isEqualTo(s);
    }
  }
}
