package io.boxer.deathstar.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimelineTest {
  private static final long S = 1_000_000_000L;

  @Test
  void counts_offeredByIntendedTime_answersByCompletionTime_inOneSecondBins() {
    long origin = -7 * S; // nanoTime may be negative
    Timeline timeline = new Timeline(origin, 3);

    timeline.offered(origin);
    timeline.offered(origin + S - 1);
    timeline.answered(origin + S, true);     // second 1
    timeline.answered(origin + 2 * S + 5, false);
    timeline.offered(origin - 1);             // before the origin: not counted
    timeline.answered(origin + 3 * S, true);  // after the end: not counted

    assertThat(timeline.seconds()).isEqualTo(List.of(
        new TimelineFile.Second(0, 2, 0, 0),
        new TimelineFile.Second(1, 0, 1, 0),
        new TimelineFile.Second(2, 0, 0, 1)));
  }
}
