package io.boxer.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WatchdogTest {
  @TempDir Path tempRoot;
  private final RequiredPrograms programs;
  private Process group;

  WatchdogTest() throws Exception {
    programs = RequiredPrograms.find(System.getenv("PATH"));
  }

  @AfterEach
  void killGroup() throws Exception {
    if (group != null) {
      new ProcessBuilder(ProcessGroup.killCommand(programs.kill(), "KILL", -group.pid())).start()
          .waitFor(5, TimeUnit.SECONDS);
    }
  }

  /** A stand-in for the command: a shell with two children, all in a new process group. */
  private long startGroup() throws Exception {
    group = ChildProcess.start(programs.setsid(), List.of("sh", "-c", "sleep 30 & sleep 30 & wait"), Map.of(), false);
    assertThat(TestProcesses.awaitLiveMembers(group.pid(), 3)).isEqualTo(3);
    return group.pid();
  }

  @Test
  void command_runsTheScriptInASessionOfItsOwn() {
    assertThat(Watchdog.command(programs, Path.of("/tmp"))).containsExactly(programs.setsid().toString(), "--",
        programs.sh().toString(), "-c", Watchdog.SCRIPT, "boxer-watchdog", "/tmp");
  }

  @Test
  void start_createsAPrivateWorkDirectory() throws Exception {
    Watchdog watchdog = Watchdog.start(programs, tempRoot);
    try {
      assertThat(watchdog.workDir().getParent()).isEqualTo(tempRoot);
      assertThat(watchdog.workDir().getFileName().toString()).startsWith("boxer-node-");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(watchdog.workDir())))
          .isEqualTo("rwx------");
    } finally {
      watchdog.release();
    }
  }

  @Test
  void lifelineCut_killsTheWholeGroup_andRemovesTheWorkDirectory() throws Exception {
    // plays boxer's part by hand: when boxer's JVM dies, the kernel closes the pipe's only write end, as here
    Process watchdog = new ProcessBuilder(Watchdog.command(programs, tempRoot)).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(watchdog.getInputStream(), StandardCharsets.UTF_8));
    Path workDir = Path.of(out.readLine());
    Files.writeString(workDir.resolve("peers"), "1 198.18.0.10\n");
    long pgid = startGroup();

    try (Writer lifeline = new OutputStreamWriter(watchdog.getOutputStream(), StandardCharsets.US_ASCII)) {
      lifeline.write("group " + pgid + "\n");
    }

    assertThat(watchdog.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(TestProcesses.awaitLiveMembers(pgid, 0)).isZero();
    assertThat(workDir).doesNotExist();
    assertThat(new String(watchdog.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
        .isEqualTo("boxer: boxer (pid " + ProcessHandle.current().pid() + ") died before cleaning up; its watchdog "
            + "killed process group " + pgid + " and every process with BOXER_AGENT_SOCKET=" + workDir
            + "/agent.sock, and removed " + workDir + "\n");
  }

  @Test
  void lifelineCutBeforeTheGroupIsKnown_killsTheCommandFoundByItsEnvironment() throws Exception {
    Process watchdog = new ProcessBuilder(Watchdog.command(programs, tempRoot)).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(watchdog.getInputStream(), StandardCharsets.UTF_8));
    Path workDir = Path.of(out.readLine());
    // the command has started, but boxer died before it could send the group line
    group = ChildProcess.start(programs.setsid(), List.of("sh", "-c", "sleep 30 & sleep 30 & wait"),
        Map.of("BOXER_AGENT_SOCKET", workDir.resolve("agent.sock").toString()), false);
    assertThat(TestProcesses.awaitLiveMembers(group.pid(), 3)).isEqualTo(3);

    watchdog.getOutputStream().close();

    assertThat(watchdog.waitFor(5, TimeUnit.SECONDS)).isTrue();
    assertThat(TestProcesses.awaitLiveMembers(group.pid(), 0)).isZero();
    assertThat(workDir).doesNotExist();
    assertThat(new String(watchdog.getErrorStream().readAllBytes(), StandardCharsets.UTF_8))
        .contains("killed process group (not known yet) and every process with BOXER_AGENT_SOCKET=");
  }

  @Test
  void release_leavesTheGroupAndTheDirectoryAlone() throws Exception {
    Watchdog watchdog = Watchdog.start(programs, tempRoot);
    long pgid = startGroup();
    watchdog.watchGroup(pgid);

    watchdog.release();

    assertThat(ProcessHandle.of(watchdog.pid())).isEmpty();
    assertThat(ProcessTable.liveMembers(pgid)).isEqualTo(3);
    assertThat(watchdog.workDir()).as("boxer removes it itself before releasing").exists();
  }

  @Test
  void watchdog_outlivesCatchableSignals() throws Exception {
    Watchdog watchdog = Watchdog.start(programs, tempRoot);
    try {
      for (ForwardedSignal signal : ForwardedSignal.values()) {
        new ProcessBuilder(ProcessGroup.killCommand(programs.kill(), signal.name(), watchdog.pid())).start()
            .waitFor(5, TimeUnit.SECONDS);
      }
      Thread.sleep(200);
      assertThat(ProcessHandle.of(watchdog.pid()).map(ProcessHandle::isAlive)).contains(true);
    } finally {
      watchdog.release();
    }
  }
}
