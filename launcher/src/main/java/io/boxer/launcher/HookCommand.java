package io.boxer.launcher;

import io.boxer.launcher.ChangeHook.Outcome;
import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code --on-change} command: {@code sh -c COMMAND} with the change in its environment, its output
 * inherited from boxer, stdin empty, for at most a time limit; past it, the shell and everything it started
 * (its descendants, found before the shell dies) are killed. Thread-safe: each run is its own process.
 */
final class HookCommand implements ChangeHook.Runner {
  private final Path shell;
  private final String command;
  private final Duration limit;

  /**
   * @param shell a POSIX sh
   * @param command the shell command
   * @param limit the longest one run may take
   */
  HookCommand(Path shell, String command, Duration limit) {
    this.shell = shell;
    this.command = command;
    this.limit = limit;
  }

  @Override
  public Outcome run(Map<String, String> env) throws InterruptedException {
    Process process;
    try {
      ProcessBuilder builder = new ProcessBuilder(List.of(shell.toString(), "-c", command))
          .redirectInput(Redirect.from(new File("/dev/null")))
          .redirectOutput(Redirect.INHERIT)
          .redirectError(Redirect.INHERIT);
      builder.environment().putAll(env);
      process = builder.start();
    } catch (IOException e) {
      return new Outcome(Outcome.Kind.NOT_STARTED, -1, e.getMessage());
    }
    try {
      if (process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        return new Outcome(Outcome.Kind.EXITED, process.exitValue(), "");
      }
      kill(process);
      return new Outcome(Outcome.Kind.TIMED_OUT, -1, "still running after " + limit.toMillis() + " ms; killed");
    } catch (InterruptedException e) {
      kill(process); // boxer is closing: no hook outlives it
      throw e;
    }
  }

  /** Lists the shell's descendants while they are still its own, then kills the shell (it starts no more) and them. */
  private static void kill(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    descendants.forEach(ProcessHandle::destroyForcibly);
    try {
      process.waitFor(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
