package io.boxer.deathstar.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {
  private static final int SAMPLES = 200_000;

  @Test
  void gaps_haveMeanOneOverRate_andExponentialSpread() {
    OpenLoopSchedule schedule = new OpenLoopSchedule(250, 0, new Random(7));
    double sum = 0;
    double sumSquares = 0;
    for (int i = 0; i < SAMPLES; i++) {
      double gap = schedule.gapNanos();
      sum += gap;
      sumSquares += gap * gap;
    }
    double mean = sum / SAMPLES;
    double stddev = Math.sqrt(sumSquares / SAMPLES - mean * mean);

    assertThat(mean).isCloseTo(4_000_000, within(4_000_000 * 0.01)); // 1/250 s
    assertThat(stddev / mean).isCloseTo(1.0, within(0.02)); // an exponential's coefficient of variation is 1
  }

  @Test
  void nextNanos_advancesFromTheStart_andNeverGoesBack() {
    OpenLoopSchedule schedule = new OpenLoopSchedule(1000, 5_000, new Random(1));
    long previous = 5_000;
    for (int i = 0; i < 10_000; i++) {
      long next = schedule.nextNanos();
      assertThat(next).isGreaterThanOrEqualTo(previous);
      previous = next;
    }
    // 10000 arrivals at 1000/s take about 10 s
    assertThat((previous - 5_000) / 1e9).isCloseTo(10.0, within(0.5));
  }

  @Test
  void sameSeed_sameSchedule() {
    OpenLoopSchedule a = new OpenLoopSchedule(100, 0, new Random(3));
    OpenLoopSchedule b = new OpenLoopSchedule(100, 0, new Random(3));
    for (int i = 0; i < 100; i++) {
      assertThat(a.nextNanos()).isEqualTo(b.nextNanos());
    }
  }

  @Test
  void nonPositiveRate_isRejected() {
    assertThatThrownBy(() -> new OpenLoopSchedule(0, 0, new Random())).hasMessage("rate : 0.0 (expected: > 0)");
  }

  @Test
  void stepped_switchesToTheSecondRateAtTheStep() {
    long step = 10_000_000_000L; // 10 s
    OpenLoopSchedule schedule = new OpenLoopSchedule(100, 0, 400, step, new Random(5));
    int before = 0;
    int after = 0;
    long next;
    while ((next = schedule.nextNanos()) < 2 * step) {
      if (next < step) {
        before++;
      } else {
        after++;
      }
    }
    // 10 s at 100/s, then 10 s at 400/s (Poisson: a few percent either way)
    assertThat(before).isCloseTo(1000, within(100));
    assertThat(after).isCloseTo(4000, within(200));
  }

  @Test
  void stepped_rejectsAStepBeforeTheStart() {
    assertThatThrownBy(() -> new OpenLoopSchedule(1, 10, 2, 5, new Random()))
        .hasMessage("step : before the start (expected: at or after it)");
  }
}
