package io.boxer.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcessTableTest {

  @Test
  void parse_readsPidStateAndGroup_evenWithParenthesesAndSpacesInTheName() {
    assertThat(ProcessTable.parse("4242 (my (odd) name) S 1 4240 4240 0 -1 4194560 107 0 0 0"))
        .contains(new ProcessTable.Stat(4242, 'S', 4240));
  }

  @Test
  void parse_rejectsGarbage() {
    assertThat(ProcessTable.parse("")).isEmpty();
    assertThat(ProcessTable.parse("12 (x)")).isEmpty();
    assertThat(ProcessTable.parse("x (y) S 1 z")).isEmpty();
  }

  @Test
  void zombies_areNotAlive() {
    assertThat(new ProcessTable.Stat(1, 'Z', 1).alive()).isFalse();
    assertThat(new ProcessTable.Stat(1, 'X', 1).alive()).isFalse();
    assertThat(new ProcessTable.Stat(1, 'S', 1).alive()).isTrue();
    assertThat(new ProcessTable.Stat(1, 'T', 1).alive()).isTrue();
  }

  @Test
  void liveMembers_countsTheProcessesOfAGroup() throws Exception {
    Process leader = new ProcessBuilder(List.of("setsid", "sh", "-c", "sleep 30 & sleep 30 & wait")).start();
    try {
      assertThat(TestProcesses.awaitLiveMembers(leader.pid(), 3)).isEqualTo(3);
    } finally {
      new ProcessBuilder("kill", "-s", "KILL", "--", "-" + leader.pid()).start().waitFor();
    }
    // the background sleep is an orphan now: where init does not reap, it stays a zombie, which does not count
    assertThat(TestProcesses.awaitLiveMembers(leader.pid(), 0)).isZero();
  }
}
