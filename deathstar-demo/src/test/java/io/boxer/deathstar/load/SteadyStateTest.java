package io.boxer.deathstar.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class SteadyStateTest {

  /** Seconds with the given offered and succeeded counts, second 0 first. */
  private static List<TimelineFile.Second> timeline(long[] offered, long[] succeeded) {
    List<TimelineFile.Second> list = new ArrayList<>();
    for (int i = 0; i < offered.length; i++) {
      list.add(new TimelineFile.Second(i, offered[i], succeeded[i], 0));
    }
    return list;
  }

  @Test
  void after_isTheFirstWindowFromWhichEveryWindowIsWithinFivePercentOfWhatWasOffered() {
    long[] offered = {40, 40, 120, 120, 120, 120, 120, 120, 120, 120, 120, 120, 120, 120, 120};
    long[] succeeded = {40, 40, 50, 50, 50, 250, 140, 120, 118, 121, 119, 120, 120, 120, 100};

    // windows from 7 on are steady; 6..10 (618 of 600, 3%) too; 5..9 (749) is not
    assertThat(SteadyState.after(timeline(offered, succeeded), 2)).isEqualTo(OptionalInt.of(6));
  }

  @Test
  void after_doesNotCountABacklogsCatchUpThatAveragesOut() {
    long[] offered = {120, 120, 120, 120, 120, 120, 120, 120, 120, 120, 120};
    long[] succeeded = {50, 50, 250, 140, 120, 125, 120, 120, 120, 120, 100};

    // window 0..4 is 610 of 600 (1.7%), but 1..5 (735) and 2..6 (755) are not; from 3..7 (625, 4.2%) on all are
    assertThat(SteadyState.after(timeline(offered, succeeded), 0)).isEqualTo(OptionalInt.of(3));
  }

  @Test
  void after_toleratesPoissonNoiseAroundTheOfferedCount() {
    long[] offered = {130, 110, 125, 115, 120, 120};
    long[] succeeded = {126, 113, 122, 117, 118, 100};

    assertThat(SteadyState.after(timeline(offered, succeeded), 0)).isEqualTo(OptionalInt.of(0));
  }

  @Test
  void after_isEmptyWhenThroughputNeverCatchesUp() {
    long[] offered = {120, 120, 120, 120, 120, 120, 120, 120};
    long[] succeeded = {50, 50, 50, 50, 50, 50, 113, 120};

    assertThat(SteadyState.after(timeline(offered, succeeded), 0)).isEmpty();
  }

  @Test
  void after_leavesOutTheLastSecond_whoseAnswersComeAfterTheEnd() {
    long[] offered = {60, 60, 60, 60, 60, 80};
    long[] succeeded = {60, 60, 60, 60, 60, 20};

    assertThat(SteadyState.after(timeline(offered, succeeded), 0)).isEqualTo(OptionalInt.of(0));
  }

  @Test
  void after_needsAWholeWindowBeforeTheEnd() {
    long[] offered = {40, 40, 40, 40, 40, 40, 40};
    long[] succeeded = {40, 40, 40, 40, 40, 40, 40};

    assertThat(SteadyState.after(timeline(offered, succeeded), 1)).isEqualTo(OptionalInt.of(1));
    assertThat(SteadyState.after(timeline(offered, succeeded), 2)).isEmpty();
  }
}
