package io.boxer.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BackoffTest {

  @Test
  void nextDelay_doublesUpToMax_andResets() {
    Backoff backoff = new Backoff(100, 500);
    assertThat(backoff.nextDelayMillis()).isEqualTo(100);
    assertThat(backoff.nextDelayMillis()).isEqualTo(200);
    assertThat(backoff.nextDelayMillis()).isEqualTo(400);
    assertThat(backoff.nextDelayMillis()).isEqualTo(500);
    assertThat(backoff.nextDelayMillis()).isEqualTo(500);
    backoff.reset();
    assertThat(backoff.nextDelayMillis()).isEqualTo(100);
  }

  @Test
  void constructor_rejectsInvertedBounds() {
    assertThatThrownBy(() -> new Backoff(10, 5)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Backoff(0, 5)).isInstanceOf(IllegalArgumentException.class);
  }
}
