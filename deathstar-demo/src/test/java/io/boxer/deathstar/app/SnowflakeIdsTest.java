package io.boxer.deathstar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SnowflakeIdsTest {
  private static final long NOW = 1_750_000_000_000L;

  @Test
  void next_encodesTimeAndMachine() {
    long id = new SnowflakeIds(42, () -> NOW).next();

    assertThat(id).isPositive();
    assertThat((id >>> 22) + SnowflakeIds.EPOCH_MS).as("the 41 bits above machine and sequence").isEqualTo(NOW);
    assertThat(SnowflakeIds.machineId(id)).isEqualTo(42);
  }

  @Test
  void next_withinOneMillisecond_staysUniqueAndIncreasingPastTheSequence() {
    SnowflakeIds ids = new SnowflakeIds(1, () -> NOW);
    Set<Long> seen = new HashSet<>();
    long previous = 0;
    for (int i = 0; i < 10_000; i++) { // more than the 4096 a millisecond holds
      long id = ids.next();
      assertThat(id).isGreaterThan(previous);
      seen.add(id);
      previous = id;
    }
    assertThat(seen).hasSize(10_000);
  }

  @Test
  void next_clockSteppingBack_keepsIncreasing() {
    AtomicLong clock = new AtomicLong(NOW);
    SnowflakeIds ids = new SnowflakeIds(0, clock::get);
    long first = ids.next();
    clock.set(NOW - 5_000);

    assertThat(ids.next()).isGreaterThan(first);
  }

  @Test
  void next_distinctMachines_neverCollide() {
    assertThat(new SnowflakeIds(1, () -> NOW).next()).isNotEqualTo(new SnowflakeIds(2, () -> NOW).next());
  }

  @Test
  void next_clockBefore2024_isRefused() {
    assertThatThrownBy(() -> new SnowflakeIds(0, () -> 0L).next())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("before 2024-01-01");
  }

  @Test
  void constructor_machineIdOutOfRange_isRejected() {
    assertThatThrownBy(() -> new SnowflakeIds(1024, () -> NOW))
        .hasMessage("machineId : 1024 (expected: 0..1023)");
  }
}
