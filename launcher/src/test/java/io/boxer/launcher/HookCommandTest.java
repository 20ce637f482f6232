package io.boxer.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.launcher.ChangeHook.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HookCommandTest {
  private static final Path SH = Path.of("/bin/sh");
  @TempDir Path dir;

  @Test
  void run_givesTheCommandItsEnvironment_andReportsItsExitCode() throws Exception {
    Path out = dir.resolve("out");
    HookCommand hook = new HookCommand(SH, "printf '%s' \"$BOXER_JOINED\" > " + out + "; exit 3", Duration.ofSeconds(30));

    Outcome outcome = hook.run(Map.of("BOXER_JOINED", "7 198.18.0.107 logic\n"));

    assertThat(outcome).isEqualTo(new Outcome(Outcome.Kind.EXITED, 3, ""));
    assertThat(Files.readString(out)).isEqualTo("7 198.18.0.107 logic\n");
  }

  @Test
  void run_pastItsLimit_killsTheShellAndWhatItStarted() throws Exception {
    Path pid = dir.resolve("pid");
    HookCommand hook = new HookCommand(SH, "sleep 300 & echo $! > " + pid + ".tmp; mv " + pid + ".tmp " + pid + "; wait",
        Duration.ofSeconds(2));

    Outcome outcome = hook.run(Map.of());

    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.TIMED_OUT);
    long sleeper = Long.parseLong(Files.readString(pid).trim());
    assertThat(TestProcesses.awaitDead(sleeper, 5000)).as("the hook's sleep was killed").isTrue();
  }

  @Test
  void run_ofAMissingShell_isNotStarted() throws Exception {
    Outcome outcome = new HookCommand(dir.resolve("no-sh"), "true", Duration.ofSeconds(1)).run(Map.of());

    assertThat(outcome.kind()).isEqualTo(Outcome.Kind.NOT_STARTED);
  }
}
