package io.boxer.netlab;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one external command (ip, iptables, sysctl) to completion with a hard timeout and captures its
 * output. Stateless and thread-safe.
 *
 * <p>Output goes to temporary files rather than pipes: with pipes a chatty command could block on a full
 * pipe while we wait for it, and a hung command could block our read forever; with files only the bounded
 * {@code waitFor} can block.
 */
final class CommandRunner {
  /** Generous for ip/iptables; they normally take a few milliseconds. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(20);

  private final Duration timeout;

  CommandRunner(Duration timeout) {
    this.timeout = timeout;
  }

  CommandRunner() {
    this(DEFAULT_TIMEOUT);
  }

  /** The outcome of a finished command. */
  record Result(List<String> command, int exitCode, String stdout, String stderr) {
    boolean ok() {
      return exitCode == 0;
    }

    /** Throws a {@link LabException} naming the command line and its stderr unless the exit code is 0. */
    Result orThrow() {
      if (!ok()) {
        throw new LabException(
            "command failed (exit " + exitCode + "): " + String.join(" ", command)
                + (stderr.isBlank() ? "" : "\n  stderr: " + stderr.strip()));
      }
      return this;
    }
  }

  /** Runs the command and throws {@link LabException} if it fails, times out or cannot start. */
  String run(List<String> command) {
    return runAllowingFailure(command).orThrow().stdout();
  }

  /** Runs the command; a non-zero exit code is returned, not thrown. Timeouts and start failures throw. */
  Result runAllowingFailure(List<String> command) {
    File out = null;
    File err = null;
    try {
      out = File.createTempFile("boxer-lab-", ".out");
      err = File.createTempFile("boxer-lab-", ".err");
      Process p =
          new ProcessBuilder(command)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
              .redirectOutput(out)
              .redirectError(err)
              .start();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new LabException(
            "command timed out after " + timeout.toSeconds() + " s: " + String.join(" ", command));
      }
      return new Result(
          List.copyOf(command),
          p.exitValue(),
          Files.readString(out.toPath(), StandardCharsets.UTF_8),
          Files.readString(err.toPath(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new LabException(
          "command could not run: " + String.join(" ", command) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LabException("interrupted while running: " + String.join(" ", command), e);
    } finally {
      delete(out);
      delete(err);
    }
  }

  private static void delete(File f) {
    if (f != null && !f.delete()) {
      f.deleteOnExit();
    }
  }
}
