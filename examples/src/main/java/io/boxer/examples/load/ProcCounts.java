package io.boxer.examples.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * How many file descriptors and threads a Linux process has, from {@code /proc/PID/fd} and
 * {@code /proc/PID/task}: two counts that grow without bound when a program leaks sockets or threads.
 * Immutable.
 *
 * @param fds open file descriptors (sockets, files, pipes, epoll instances)
 * @param threads kernel threads (tasks) of the process
 */
public record ProcCounts(int fds, int threads) {
  /** This process's counts; the listing of {@code /proc/self/fd} itself holds one descriptor while it runs. */
  public static ProcCounts self() {
    return of(Path.of("/proc/self"));
  }

  /**
   * The counts of process {@code pid}; reading another user's process needs root.
   *
   * @throws UncheckedIOException if the process is gone or its {@code /proc} entries cannot be read
   */
  public static ProcCounts of(long pid) {
    return of(Path.of("/proc", Long.toString(pid)));
  }

  private static ProcCounts of(Path proc) {
    return new ProcCounts(entries(proc.resolve("fd")), entries(proc.resolve("task")));
  }

  private static int entries(Path dir) {
    try (Stream<Path> entries = Files.list(dir)) {
      return (int) entries.count();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir + " (is the process alive, and is this Linux?)", e);
    }
  }

  @Override
  public String toString() {
    return "fds=" + fds + " threads=" + threads;
  }
}
