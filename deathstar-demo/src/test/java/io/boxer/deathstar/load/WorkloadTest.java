package io.boxer.deathstar.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.EnumMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class WorkloadTest {
  @Test
  void mix_drawsTheDocumentedShares() {
    Random random = new Random(11);
    Map<Operation, Integer> counts = new EnumMap<>(Operation.class);
    int draws = 100_000;
    for (int i = 0; i < draws; i++) {
      counts.merge(Workload.MIX.next(random), 1, Integer::sum);
    }
    assertThat(counts.get(Operation.READ_HOME_TIMELINE) / (double) draws).isCloseTo(0.30, within(0.01));
    assertThat(counts.get(Operation.READ_USER_TIMELINE) / (double) draws).isCloseTo(0.30, within(0.01));
    assertThat(counts.get(Operation.COMPOSE_POST) / (double) draws).isCloseTo(0.30, within(0.01));
    assertThat(counts.get(Operation.FOLLOW) / (double) draws).isCloseTo(0.10, within(0.01));
  }

  @Test
  void singleWorkloads_sendTheirOperationOnly() {
    Random random = new Random(1);
    assertThat(Workload.FOLLOW.next(random)).isEqualTo(Operation.FOLLOW);
    assertThat(Workload.READ_USER_TIMELINE.next(random)).isEqualTo(Operation.READ_USER_TIMELINE);
  }

  @Test
  void fromCliName_unknown_listsTheWorkloads() {
    assertThatThrownBy(() -> Workload.fromCliName("reads"))
        .hasMessage("unknown workload 'reads' (expected one of: read-user-timeline, read-home-timeline, "
            + "compose-post, follow, mix)");
  }
}
