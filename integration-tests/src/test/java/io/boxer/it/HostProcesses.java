package io.boxer.it;

import io.boxer.netlab.HostProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the program that {@code boxer run} started in a lab host, by its command line, among the processes of
 * the host's network namespace ({@link BoxerLab#pids}); the boxer JVM itself is {@link HostProcess#pid()}.
 * Processes of other labs are out of reach by construction, even when labs run side by side.
 */
final class HostProcesses {
  private HostProcesses() {}

  /** The pid of the java process in {@code host} whose main class is {@code main} (not the boxer JVM running it). */
  static long app(BoxerLab lab, String host, Class<?> main) throws IOException, InterruptedException {
    return app(lab, host, main.getName());
  }

  /** The pid of the java process in {@code host} whose main class is named {@code main}. */
  static long app(BoxerLab lab, String host, String main) throws IOException, InterruptedException {
    List<Long> found = new ArrayList<>();
    for (long pid : lab.pids(host)) {
      List<String> args = commandLine(pid);
      boolean boxer = args.stream().anyMatch(a -> a.endsWith("/boxer.jar"));
      if (!boxer && !args.isEmpty() && args.get(0).endsWith("java") && args.contains(main)) {
        found.add(pid);
      }
    }
    if (found.size() != 1) {
      throw new AssertionError("expected one process running " + main + " in " + host + ", found " + found);
    }
    return found.get(0);
  }

  /** The command lines of every process in {@code host}, arguments joined by spaces. */
  static List<String> commandLines(BoxerLab lab, String host) throws IOException, InterruptedException {
    List<String> lines = new ArrayList<>();
    for (long pid : lab.pids(host)) {
      lines.add(String.join(" ", commandLine(pid)));
    }
    return lines;
  }

  /** The arguments of a process, or none if it is gone. */
  private static List<String> commandLine(long pid) throws IOException {
    try {
      String raw = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
      return raw.isEmpty() ? List.of() : Arrays.asList(raw.split("\0"));
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }
}
