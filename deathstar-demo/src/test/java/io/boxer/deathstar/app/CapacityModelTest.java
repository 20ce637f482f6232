package io.boxer.deathstar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CapacityModelTest {
  private static final long MS = 1_000_000L;

  @Test
  void holdNanos_queuesCallsBeyondTheSlotsBehindTheEarliestFreeSlot() {
    CapacityModel model = new CapacityModel(2, Duration.ofMillis(10));
    long now = -5_000 * MS; // nanoTime may be negative; slots start free at the first call

    assertThat(model.holdNanos(now)).isEqualTo(10 * MS);
    assertThat(model.holdNanos(now)).isEqualTo(10 * MS);
    assertThat(model.holdNanos(now)).isEqualTo(20 * MS); // waits 10 ms for a slot
    assertThat(model.holdNanos(now + 4 * MS)).isEqualTo(16 * MS); // the other slot frees at 20 ms
  }

  @Test
  void holdNanos_idleInstanceServesAtOnce() {
    CapacityModel model = new CapacityModel(1, Duration.ofMillis(10));
    model.holdNanos(0);
    model.holdNanos(0);

    assertThat(model.holdNanos(100 * MS)).isEqualTo(10 * MS); // the backlog (until 20 ms) is long gone
  }

  @Test
  void holdNanos_capsThroughputAtConcurrencyOverServiceTime() {
    CapacityModel model = new CapacityModel(4, Duration.ofMillis(40)); // 100 calls/s
    long lastDone = 0;
    for (int i = 0; i < 1000; i++) { // 1000 calls arriving at once
      lastDone = Math.max(lastDone, model.holdNanos(0));
    }

    assertThat(lastDone).isEqualTo(10_000 * MS); // 1000 calls at 100/s
  }

  @Test
  void constructor_rejectsNoSlotsAndNoServiceTime() {
    assertThatThrownBy(() -> new CapacityModel(0, Duration.ofMillis(1)))
        .hasMessage("concurrency : 0 (expected: 1..1024)");
    assertThatThrownBy(() -> new CapacityModel(1, Duration.ZERO)).hasMessage("serviceTime : PT0S (expected: > 0)");
  }
}
