package io.boxer.netlab.wancheck;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WanCheckTest {
  @Test
  void options_defaultToTheIssuesThreeRtts() {
    WanCheck.Options o = WanCheck.Options.parse(new String[0]);
    assertThat(o.rtts()).containsExactly(Duration.ofNanos(200_000), Duration.ofNanos(500_000), Duration.ofMillis(2));
    assertThat(o.roundTrips()).isEqualTo(2000);
    assertThat(o.seconds()).isEqualTo(5);
    assertThat(o.rateMbit()).isEqualTo(620);
    assertThat(o.jitter()).isZero();
  }

  @Test
  void options_areParsed() {
    WanCheck.Options o = WanCheck.Options.parse(
        new String[] {"--rtts", "1ms,300us", "--jitter", "100us", "--round-trips", "500", "--seconds", "2",
            "--rate-mbit", "0"});
    assertThat(o).isEqualTo(new WanCheck.Options(List.of(Duration.ofMillis(1), Duration.ofNanos(300_000)),
        Duration.ofNanos(100_000), 500, 2, 0));
  }

  @Test
  void options_outOfRange_areRefusedWithTheRange() {
    assertThatThrownBy(() -> WanCheck.Options.parse(new String[] {"--rtts", "0"}))
        .hasMessage("--rtts : 0 (expected: rtts > 0; no delay is always measured)");
    assertThatThrownBy(() -> WanCheck.Options.parse(new String[] {"--rtts", "300ms"}))
        .hasMessageStartingWith("rtt : 300ms (expected: 0 for none, or 2us..200ms");
    assertThatThrownBy(() -> WanCheck.Options.parse(new String[] {"--rtts", "1ms,200us", "--jitter", "150us"}))
        .hasMessageStartingWith("jitter : 150us (expected: 0..100us");
    assertThatThrownBy(() -> WanCheck.Options.parse(new String[] {"--round-trips", "99"}))
        .hasMessage("--round-trips : 99 (expected: 100..1000000)");
    assertThatThrownBy(() -> WanCheck.Options.parse(new String[] {"--seconds"}))
        .hasMessage("--seconds : no value (expected: --seconds VALUE)");
  }
}
