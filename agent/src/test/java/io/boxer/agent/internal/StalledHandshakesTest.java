package io.boxer.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StalledHandshakesTest {

  @Test
  void stall_isFourPrimeRoundTrips_boundedBelowAndAbove() {
    assertThat(StalledHandshakes.stallMillis(0)).isEqualTo(StalledHandshakes.MIN_STALL_MILLIS);
    assertThat(StalledHandshakes.stallMillis(TimeUnit.MILLISECONDS.toNanos(2))).isEqualTo(200);
    assertThat(StalledHandshakes.stallMillis(TimeUnit.MILLISECONDS.toNanos(60))).isEqualTo(240);
    assertThat(StalledHandshakes.stallMillis(TimeUnit.MICROSECONDS.toNanos(100_300))).isEqualTo(402);
    assertThat(StalledHandshakes.stallMillis(TimeUnit.SECONDS.toNanos(5))).isEqualTo(1000);
  }
}
