package io.boxer.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class LinkReportScheduleTest {
  private static final long MS = 1_000_000;
  private final LinkReportSchedule schedule = new LinkReportSchedule();

  @Test
  void firstReport_isDueAtOnce() {
    assertThat(schedule.due(0, Set.of())).isTrue();
  }

  @Test
  void sameLinks_areReportedEveryFiveSeconds() {
    schedule.sent(0, Set.of(2L));

    assertThat(schedule.due(4_999 * MS, Set.of(2L))).isFalse();
    assertThat(schedule.due(5_000 * MS, Set.of(2L))).isTrue();
  }

  @Test
  void aLinkGoingUpOrDown_isReportedSoon_butNotWithinTheMinimumGap() {
    schedule.sent(0, Set.of(2L));

    assertThat(schedule.due(500 * MS, Set.of(2L, 3L))).isFalse();
    assertThat(schedule.due(1_100 * MS, Set.of(2L, 3L))).isTrue();
    assertThat(schedule.due(1_100 * MS, Set.of())).isTrue();
  }

  @Test
  void reset_makesTheNextReportDue() {
    schedule.sent(0, Set.of(2L));

    schedule.reset();

    assertThat(schedule.due(1 * MS, Set.of(2L))).isTrue();
  }
}
