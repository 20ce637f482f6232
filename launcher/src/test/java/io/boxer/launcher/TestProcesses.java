package io.boxer.launcher;

import static io.boxer.testing.Waits.awaitAtMost;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Waiting on real processes in tests, always bounded. */
final class TestProcesses {
  private static final Duration POLL = Duration.ofMillis(10);

  /** Polls until the group has {@code expected} live members, for at most 5 s; returns the last count. */
  static int awaitLiveMembers(long group, int expected) {
    awaitAtMost(Duration.ofSeconds(5), POLL, () -> ProcessTable.liveMembers(group) == expected);
    return ProcessTable.liveMembers(group);
  }

  /** Whether the process is gone (or a zombie nobody reaps) within {@code millis}. */
  static boolean awaitDead(long pid, long millis) {
    awaitAtMost(Duration.ofMillis(millis), POLL, () -> !alive(pid));
    return !alive(pid);
  }

  static boolean alive(long pid) {
    try {
      return ProcessTable.parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat")))
          .map(ProcessTable.Stat::alive).orElse(false);
    } catch (IOException e) {
      return false;
    }
  }

  private TestProcesses() {}
}
