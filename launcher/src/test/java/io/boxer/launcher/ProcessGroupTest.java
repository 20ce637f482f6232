package io.boxer.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.ToIntFunction;
import org.junit.jupiter.api.Test;

class ProcessGroupTest {
  private static final Path KILL = Path.of("/usr/bin/kill");
  private final List<List<String>> commands = new ArrayList<>();

  /** A kill(1) that records its command line and answers with {@code status}. */
  private ProcessGroup.CommandRunner recording(ToIntFunction<List<String>> status) {
    return command -> {
      commands.add(command);
      return status.applyAsInt(command);
    };
  }

  private static List<String> kill(String signal, String target) {
    return List.of(KILL.toString(), "-s", signal, "--", target);
  }

  @Test
  void killCommand_targetsANegativeIdAsAGroup() {
    assertThat(ProcessGroup.killCommand(KILL, "TERM", -77)).containsExactly("/usr/bin/kill", "-s", "TERM", "--", "-77");
  }

  @Test
  void signal_goesToTheWholeGroup() {
    ProcessGroup group = new ProcessGroup(77, () -> true, KILL, recording(c -> 0), g -> 1);

    assertThat(group.signal(ForwardedSignal.QUIT)).isTrue();

    assertThat(commands).containsExactly(kill("QUIT", "-77"));
  }

  @Test
  void signal_beforeTheLeaderCalledSetsid_goesToTheLeaderAlone() {
    ProcessGroup group = new ProcessGroup(77, () -> true, KILL, recording(c -> c.get(4).equals("-77") ? 1 : 0), g -> 0);

    assertThat(group.signal(ForwardedSignal.HUP)).isTrue();

    assertThat(commands).containsExactly(kill("HUP", "-77"), kill("HUP", "77"));
  }

  @Test
  void signal_whenGroupAndLeaderAreGone_reachesNobody() {
    ProcessGroup group = new ProcessGroup(77, () -> false, KILL, recording(c -> 1), g -> 0);

    assertThat(group.signal(ForwardedSignal.TERM)).isFalse();

    assertThat(commands).containsExactly(kill("TERM", "-77")); // never the bare pid of a process that is gone
  }

  @Test
  void terminate_ofAnEmptyGroup_sendsNothing() {
    ProcessGroup group = new ProcessGroup(77, () -> false, KILL, recording(c -> 0), g -> 0);

    assertThat(group.terminate(Duration.ofSeconds(2))).isEqualTo(ProcessGroup.Leftovers.NONE);
    assertThat(commands).isEmpty();
  }

  @Test
  void terminate_thatStopOnSigterm_getNoSigkill() {
    ProcessGroup group = new ProcessGroup(77, () -> false, KILL, recording(c -> 0), g -> commands.isEmpty() ? 2 : 0);

    assertThat(group.terminate(Duration.ofSeconds(2))).isEqualTo(ProcessGroup.Leftovers.TERMINATED);
    assertThat(commands).containsExactly(kill("TERM", "-77"));
  }

  @Test
  void terminate_thatOutliveTheGrace_getSigkill() {
    ProcessGroup group = new ProcessGroup(77, () -> false, KILL, recording(c -> 0),
        g -> commands.contains(kill("KILL", "-77")) ? 0 : 1);
    long start = System.nanoTime();

    assertThat(group.terminate(Duration.ofMillis(200))).isEqualTo(ProcessGroup.Leftovers.KILLED);

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
    assertThat(commands).containsExactly(kill("TERM", "-77"), kill("KILL", "-77"));
  }

  @Test
  void realGroup_aSignalReachesEveryDescendant() throws Exception {
    RequiredPrograms programs = RequiredPrograms.find(System.getenv("PATH"));
    Process leader = ChildProcess.start(programs.setsid(), List.of("sh", "-c", "sleep 30 & sleep 30 & wait"), Map.of(), false);
    ProcessGroup group = ProcessGroup.ledBy(leader, programs.kill());
    assertThat(TestProcesses.awaitLiveMembers(leader.pid(), 3)).isEqualTo(3);

    assertThat(group.signal(ForwardedSignal.TERM)).isTrue();

    assertThat(leader.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(TestProcesses.awaitLiveMembers(leader.pid(), 0)).as("the background sleeps got SIGTERM too").isZero();
  }

  @Test
  void realGroup_whatTheLeaderLeavesBehindIsTerminated() throws Exception {
    RequiredPrograms programs = RequiredPrograms.find(System.getenv("PATH"));
    Process leader = ChildProcess.start(programs.setsid(), List.of("sh", "-c", "sleep 30 & exit 0"), Map.of(), false);
    ProcessGroup group = ProcessGroup.ledBy(leader, programs.kill());
    assertThat(leader.waitFor(5, TimeUnit.SECONDS)).isTrue();

    assertThat(group.terminate(Duration.ofSeconds(2))).isEqualTo(ProcessGroup.Leftovers.TERMINATED);
    assertThat(ProcessTable.liveMembers(leader.pid())).isZero();
  }
}
