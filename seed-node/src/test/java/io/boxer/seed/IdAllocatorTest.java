package io.boxer.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class IdAllocatorTest {
  @Test
  void ids_increaseStrictly_evenWithinOneMillisecond_andFollowTheClock() {
    AtomicLong millis = new AtomicLong(1_000);
    IdAllocator ids = new IdAllocator(millis::get);
    assertThat(ids.next()).isEqualTo(1_000_000);
    assertThat(ids.next()).isEqualTo(1_000_001);
    millis.set(2_000);
    assertThat(ids.next()).isEqualTo(2_000_000);
  }

  @Test
  void observedIds_areNeverHandedOutAgain_evenIfTheClockIsBehind() {
    IdAllocator ids = new IdAllocator(() -> 1_000);
    ids.observe(5_000_000);
    assertThat(ids.next()).isEqualTo(5_000_001);
  }

  @Test
  void idsFarAheadOfTheClock_areNotPlausible_soTheyCannotPushLaterIdsToOverflow() {
    IdAllocator ids = new IdAllocator(() -> 1_000);
    assertThat(ids.plausible(5_000_000)).isTrue();
    assertThat(ids.plausible(Long.MAX_VALUE)).isFalse();
    assertThat(ids.plausible((1_000 + IdAllocator.MAX_AHEAD_MILLIS) * 1000 + 1)).isFalse();
    assertThat(ids.plausible(0)).isFalse();
  }
}
