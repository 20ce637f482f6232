package io.boxer.netlab.wan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DelayLineTest {
  @Test
  void packet_isDueOneWayDelayAfterItArrived_notBefore() {
    DelayLine line = new DelayLine(250_000, 0, 8, new SplittableRandom(1));
    assertThat(line.admit(7, 1_000_000)).isEqualTo(1_250_000);
    assertThat(line.takeDue(1_249_999)).isEqualTo(DelayLine.NONE);
    assertThat(line.nextRelease()).isEqualTo(1_250_000);
    assertThat(line.takeDue(1_250_000)).isEqualTo(7);
    assertThat(line.nextRelease()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void takeDue_returnsTheLastDueId_soOneBatchVerdictReleasesThemAll() {
    DelayLine line = new DelayLine(100, 0, 8, new SplittableRandom(1));
    line.admit(1, 0);
    line.admit(2, 10);
    line.admit(3, 500);
    assertThat(line.takeDue(110)).isEqualTo(2);
    assertThat(line.size()).isEqualTo(1);
    assertThat(line.takeDue(600)).isEqualTo(3);
  }

  @Test
  void full_refusesTheNextPacket_andTakesOneAgainOnceSomethingLeft() {
    DelayLine line = new DelayLine(100, 0, 2, new SplittableRandom(1));
    line.admit(1, 0);
    line.admit(2, 0);
    assertThat(line.admit(3, 0)).isEqualTo(Long.MIN_VALUE);
    assertThat(line.size()).isEqualTo(2);
    assertThat(line.takeDue(100)).isEqualTo(2);
    assertThat(line.admit(4, 100)).isEqualTo(200); // the ring wraps around
    assertThat(line.takeDue(200)).isEqualTo(4);
  }

  @Test
  void jitter_staysWithinItsBounds_andNeverReorders() {
    long oneWay = 1_000_000;
    long jitter = 400_000;
    DelayLine line = new DelayLine(oneWay, jitter, 100_000, new SplittableRandom(42));
    long previous = Long.MIN_VALUE;
    long minDelay = Long.MAX_VALUE;
    long maxDrawn = Long.MIN_VALUE;
    for (int i = 0; i < 10_000; i++) {
      long now = i * 10_000L; // a packet every 10 us: closer than the jitter's width
      long release = line.admit(i, now);
      assertThat(release).isGreaterThanOrEqualTo(previous); // FIFO
      assertThat(release - now).isGreaterThanOrEqualTo(oneWay - jitter);
      minDelay = Math.min(minDelay, release - now);
      if (release > previous) {
        maxDrawn = Math.max(maxDrawn, release - now); // a drawn (not clamped) delay
      }
      previous = release;
    }
    assertThat(maxDrawn).isLessThanOrEqualTo(oneWay + jitter);
    // it does jitter: the spread reaches well below the mean
    assertThat(minDelay).isLessThan(oneWay - jitter / 2);
  }

  @Test
  void constructor_refusesAJitterAboveTheDelay_andAnEmptyRing() {
    assertThatThrownBy(() -> new DelayLine(100, 101, 1, new SplittableRandom()))
        .hasMessage("jitterNanos : 101 (expected: 0..100)");
    assertThatThrownBy(() -> new DelayLine(0, 0, 1, new SplittableRandom()))
        .hasMessage("oneWayNanos : 0 (expected: > 0)");
    assertThatThrownBy(() -> new DelayLine(100, 0, 0, new SplittableRandom()))
        .hasMessage("capacity : 0 (expected: > 0)");
  }
}
