package io.boxer.netlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link HostProcess} on this machine's own namespace: what it adds to a process does not need a lab. */
class HostProcessTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir
  Path dir;

  private HostProcess sh(String script) throws IOException {
    return HostProcess.startCommand("sh", Map.of("GREETING", "hello"), List.of("sh", "-c", script),
        dir.resolve("logs/sh.log"));
  }

  @Test
  void awaitLine_findsALineOfStdoutOrStderr_withTheGivenEnvironment() throws Exception {
    try (HostProcess p = sh("echo \"$GREETING\" >&2; echo ready; sleep 30")) {
      assertThat(p.awaitLine(l -> l.startsWith("rea"), WAIT)).isEqualTo("ready");
      assertThat(p.output()).contains("hello");
      assertThat(p.log()).exists();
    }
  }

  @Test
  void awaitLine_processExitsWithoutIt_failsWithTheExitCodeAndTheLogsTail() throws Exception {
    try (HostProcess p = sh("echo something else; exit 3")) {
      assertThatThrownBy(() -> p.awaitLine(l -> l.equals("ready"), WAIT)).isInstanceOf(IOException.class)
          .hasMessageContaining("sh exited with 3 before it was ready").hasMessageContaining("something else");
    }
  }

  @Test
  void awaitLine_ignoresALineStillBeingWritten() throws Exception {
    try (HostProcess p = sh("printf 'rea'; sleep 1; echo dy; sleep 30")) {
      assertThat(p.awaitLine(l -> l.startsWith("rea"), WAIT)).isEqualTo("ready");
    }
  }

  @Test
  void awaitFile_returnsWhatTheProcessWrote() throws Exception {
    Path ready = dir.resolve("ready.json");
    try (HostProcess p = sh("sleep 0.2; echo '{}' > " + ready + "; sleep 30")) {
      assertThat(p.awaitFile(ready, WAIT)).isEqualTo("{}\n");
    }
  }

  @Test
  void awaitExit_returnsTheExitCode() throws Exception {
    try (HostProcess p = sh("exit 7")) {
      assertThat(p.awaitExit(WAIT)).isEqualTo(7);
    }
  }

  @Test
  void awaitExit_tooLong_stopsTheProcessAndFails() throws Exception {
    try (HostProcess p = sh("sleep 30")) {
      assertThatThrownBy(() -> p.awaitExit(Duration.ofMillis(200))).isInstanceOf(IOException.class)
          .hasMessageContaining("did not finish");
      assertThat(p.isAlive()).isFalse();
    }
  }

  @Test
  void signal_reachesTheProcess() throws Exception {
    try (HostProcess p = sh("trap 'echo got TERM; exit 42' TERM; echo ready; while true; do sleep 0.1; done")) {
      p.awaitLine(l -> l.equals("ready"), WAIT);
      p.signal("TERM");
      assertThat(p.awaitExit(WAIT)).isEqualTo(42);
      assertThat(p.output()).contains("got TERM");
    }
  }

  @Test
  void awaitExitEchoing_passesEveryLineOnce() throws Exception {
    List<String> echoed = new java.util.ArrayList<>();
    try (HostProcess p = sh("echo one; sleep 0.6; echo two")) {
      assertThat(p.awaitExitEchoing(WAIT, echoed::add)).isZero();
    }
    assertThat(echoed).containsExactly("one", "two");
  }

  @Test
  void signals_rejectAName_thatIsNoSignal() {
    assertThatThrownBy(() -> Signals.send("-9; rm", List.of(1L))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: a name such as TERM or KILL");
  }

  @Test
  void log_isReplaced_whenTheNameIsReused() throws Exception {
    Files.createDirectories(dir.resolve("logs"));
    Files.writeString(dir.resolve("logs/sh.log"), "old run\n");
    try (HostProcess p = sh("echo new run")) {
      p.awaitExit(WAIT);
      assertThat(p.output()).isEqualTo("new run\n");
    }
  }
}
