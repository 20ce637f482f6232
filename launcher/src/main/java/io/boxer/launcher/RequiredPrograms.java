package io.boxer.launcher;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The system programs {@code boxer run} supervises its command with, found on PATH before anything starts:
 * {@code setsid} (util-linux) puts the command in a session of its own, {@code kill} (procps or util-linux)
 * signals its process group, {@code sh} runs the {@link Watchdog}.
 *
 * @param setsid absolute path of setsid(1)
 * @param kill absolute path of kill(1)
 * @param sh absolute path of a POSIX sh
 */
public record RequiredPrograms(Path setsid, Path kill, Path sh) {

  /** A program that {@code boxer run} needs is not on PATH: a configuration error of the machine (exit 2). */
  public static final class MissingProgramException extends Exception {
    private static final long serialVersionUID = 1L;

    MissingProgramException(String message) {
      super(message);
    }
  }

  /** Looks the three programs up in {@code path} (the PATH variable's value; null counts as empty). */
  static RequiredPrograms find(String path) throws MissingProgramException {
    return new RequiredPrograms(
        require(path, "setsid", "util-linux's setsid; install util-linux"),
        require(path, "kill", "a kill(1) that signals process groups; install procps"),
        require(path, "sh", "a POSIX sh; install dash"));
  }

  private static Path require(String path, String program, String expected) throws MissingProgramException {
    return lookUp(path, program).orElseThrow(() -> new MissingProgramException(
        "PATH : " + path + " has no " + program + " (expected: " + expected + ")"));
  }

  /** The first executable regular file named {@code program} in the directories of {@code path}. */
  static Optional<Path> lookUp(String path, String program) {
    if (path == null) {
      return Optional.empty();
    }
    for (String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue; // an empty entry means the working directory; never trust that for these
      }
      Path candidate = Path.of(dir, program);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate.toAbsolutePath());
      }
    }
    return Optional.empty();
  }
}
