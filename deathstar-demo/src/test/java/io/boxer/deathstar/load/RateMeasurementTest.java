package io.boxer.deathstar.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RateMeasurementTest {
  private static final long MS = 1_000_000;
  private static final long START = 1_000 * MS;
  private static final long END = 3_000 * MS; // a 2 s window

  @Test
  void latency_correctedFromIntended_uncorrectedFromSent() {
    RateMeasurement m = new RateMeasurement(10, START, END);
    m.started(START + 100 * MS);
    m.answered(START + 100 * MS, START + 150 * MS, START + 160 * MS, null); // queued 50 ms, served in 10 ms

    RateResult r = m.seal();
    assertThat(r.corrected().p50Ms()).isCloseTo(60, within(0.1));
    assertThat(r.uncorrected().p50Ms()).isCloseTo(10, within(0.1));
  }

  @Test
  void warmupRequests_countForThroughputOnly_whenTheyCompleteInTheWindow() {
    RateMeasurement m = new RateMeasurement(10, START, END);
    m.started(START - 10 * MS);
    m.answered(START - 10 * MS, START - 10 * MS, START + 5 * MS, null);

    RateResult r = m.seal();
    assertThat(r.sent()).isZero();
    assertThat(r.corrected().count()).isZero();
    assertThat(r.achievedRps()).isEqualTo(0.5); // 1 success in 2 s
  }

  @Test
  void throughput_countsOnlySuccessesCompletedInTheWindow() {
    RateMeasurement m = new RateMeasurement(10, START, END);
    for (int i = 0; i < 4; i++) {
      long t = START + i * 100 * MS;
      m.started(t);
      m.answered(t, t, t + MS, null);
    }
    m.started(END - MS);
    m.answered(END - MS, END - MS, END + 500 * MS, null); // completes after the window

    RateResult r = m.seal();
    assertThat(r.successes()).isEqualTo(5);
    assertThat(r.achievedRps()).isEqualTo(2.0); // 4 in 2 s
    assertThat(r.measuredSeconds()).isEqualTo(2.0);
  }

  @Test
  void errorsAndDrops_areCounted_withTheFirstKept() {
    RateMeasurement m = new RateMeasurement(10, START, END);
    m.started(START);
    m.answered(START, START, START + MS, "HTTP 503");
    m.dropped(START + MS);

    RateResult r = m.seal();
    assertThat(r.sent()).isEqualTo(2);
    assertThat(r.errors()).isEqualTo(2);
    assertThat(r.dropped()).isEqualTo(1);
    assertThat(r.firstError()).isEqualTo("HTTP 503");
    assertThat(r.successes()).isZero();
  }

  @Test
  void seal_turnsUnansweredIntoErrors_andIgnoresLateAnswers() {
    RateMeasurement m = new RateMeasurement(10, START, END);
    m.started(START);
    m.started(START + MS);

    RateResult sealed = m.seal();
    m.answered(START, START, END + 10_000 * MS, null);

    assertThat(sealed.errors()).isEqualTo(2);
    assertThat(sealed.firstError()).isEqualTo("2 requests still unanswered when the run ended");
    assertThat(m.seal()).isEqualTo(sealed);
  }
}
