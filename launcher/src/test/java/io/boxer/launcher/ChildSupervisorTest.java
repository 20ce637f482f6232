package io.boxer.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One supervised command end to end, without a cluster (the lab test ProcessSupervisionIT adds boxer's node). */
class ChildSupervisorTest {
  @TempDir Path tempRoot;
  /** Not started: a signal to this test JVM must not interrupt the test's own thread. */
  private final Thread main = new Thread(() -> { });

  @Test
  void runCommand_returnsItsExitCode_andStopsWhatItLeftInItsGroup() throws Exception {
    Path pidFile = tempRoot.resolve("leftover.pid");
    try (ChildSupervisor supervisor = ChildSupervisor.start(main, System.getenv("PATH"), tempRoot)) {
      assertThat(supervisor.beginCommand()).isEmpty();

      ChildSupervisor.CommandExit exit = supervisor.runCommand(
          List.of("sh", "-c", "sleep 1000 & echo $! > \"$PID_FILE\"; exit 3"), Map.of("PID_FILE", pidFile.toString()));

      assertThat(exit.code()).isEqualTo(3);
      assertThat(exit.reason()).isEqualTo("the command exited with code 3");
      long leftover = Long.parseLong(Files.readString(pidFile).trim());
      assertThat(TestProcesses.alive(leftover)).as("the background sleep outlived its command").isFalse();
    }
  }

  @Test
  void stopCommand_stopsTheWholeGroup_andBoxerExitsOneSayingWhy() throws Exception {
    Path pidFile = tempRoot.resolve("child.pid");
    try (ChildSupervisor supervisor = ChildSupervisor.start(main, System.getenv("PATH"), tempRoot)) {
      assertThat(supervisor.beginCommand()).isEmpty();
      Thread node = new Thread(() -> {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> Files.exists(pidFile));
        supervisor.stopCommand("this node was removed from the cluster and could not rejoin");
      });
      node.start();

      long start = System.nanoTime();
      ChildSupervisor.CommandExit exit = supervisor.runCommand(
          List.of("sh", "-c", "sleep 1000 & echo $! > \"$PID_FILE\"; wait"), Map.of("PID_FILE", pidFile.toString()));

      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
      assertThat(exit.exitCode()).isEqualTo(1);
      assertThat(exit.reason()).startsWith("this node was removed from the cluster and could not rejoin; the command was stopped");
      assertThat(TestProcesses.alive(Long.parseLong(Files.readString(pidFile).trim()))).isFalse();
    }
  }

  @Test
  void theToken_isNotInTheCommandsEnvironment() throws Exception {
    assertThat(ChildProcess.WITHHELD).contains("BOXER_TOKEN");
    Path out = tempRoot.resolve("env.txt");
    try (ChildSupervisor supervisor = ChildSupervisor.start(main, System.getenv("PATH"), tempRoot)) {
      supervisor.beginCommand();
      // the variable is set in the environment the command would inherit; a child shell shows what it got
      supervisor.runCommand(List.of("sh", "-c", "env > \"$OUT\""), Map.of("OUT", out.toString(), "BOXER_TOKEN_PROBE", "x"));
    }
    assertThat(Files.readString(out)).contains("BOXER_TOKEN_PROBE=x").doesNotContain("BOXER_TOKEN=");
  }

  @Test
  void close_removesTheWorkDirectory_andReleasesTheWatchdog() throws Exception {
    ChildSupervisor supervisor = ChildSupervisor.start(main, System.getenv("PATH"), tempRoot);
    Path workDir = supervisor.workDir();
    Files.writeString(workDir.resolve("peers"), "1 198.18.0.10\n");
    long watchdogs = watchdogChildren();

    supervisor.close();

    assertThat(workDir).doesNotExist();
    assertThat(watchdogChildren()).isEqualTo(watchdogs - 1);
    assertThat(tempRoot).isEmptyDirectory();
  }

  /** This JVM's children that are watchdogs. */
  private static long watchdogChildren() {
    return ProcessHandle.current().children()
        .filter(p -> p.info().arguments().map(a -> List.of(a).contains("boxer-watchdog")).orElse(false))
        .count();
  }
}
