package io.boxer.launcher;

import static org.awaitility.Awaitility.await;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;

/** Waiting on real processes in tests, always bounded. */
final class TestProcesses {

  /** Polls until the group has {@code expected} live members, for at most 5 s; returns the last count. */
  static int awaitLiveMembers(long group, int expected) {
    awaitAtMost(Duration.ofSeconds(5), () -> ProcessTable.liveMembers(group) == expected);
    return ProcessTable.liveMembers(group);
  }

  /** Whether the process is gone (or a zombie nobody reaps) within {@code millis}. */
  static boolean awaitDead(long pid, long millis) {
    awaitAtMost(Duration.ofMillis(millis), () -> !alive(pid));
    return !alive(pid);
  }

  /** Polls {@code condition} until it holds or {@code limit} passed; the caller's assertion says which. */
  private static void awaitAtMost(Duration limit, Callable<Boolean> condition) {
    try {
      await().atMost(limit).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(condition);
    } catch (ConditionTimeoutException e) {
      // the caller asserts on the state itself, with its own message
    }
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
