package io.boxer.node.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void next_doublesUpToTheMaximum_andResetStartsOver() {
    Backoff backoff = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(2));
    assertThat(backoff.next()).hasMillis(250);
    assertThat(backoff.next()).hasMillis(500);
    assertThat(backoff.next()).hasMillis(1000);
    assertThat(backoff.next()).hasMillis(2000);
    assertThat(backoff.next()).hasMillis(2000);
    backoff.reset();
    assertThat(backoff.next()).hasMillis(250);
  }

  @Test
  void next_aFirstDelayAboveTheMaximum_isUsedOnce() {
    Backoff backoff = new Backoff(Duration.ofSeconds(8), Duration.ofSeconds(5));
    assertThat(backoff.next()).hasSeconds(8);
    assertThat(backoff.next()).hasSeconds(5);
  }

  @Test
  void constructor_rejectsAZeroDelay() {
    assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected: both > 0");
  }
}
