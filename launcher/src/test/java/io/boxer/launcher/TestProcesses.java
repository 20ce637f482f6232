package io.boxer.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Waiting on real processes in tests, always bounded. */
final class TestProcesses {

  /** Polls until the group has {@code expected} live members, for at most 5 s; returns the last count. */
  static int awaitLiveMembers(long group, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    int count;
    while ((count = ProcessTable.liveMembers(group)) != expected && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    return count;
  }

  /** Whether the process is gone (or a zombie nobody reaps) within {@code millis}. */
  static boolean awaitDead(long pid, long millis) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
    while (System.nanoTime() < deadline) {
      if (!alive(pid)) {
        return true;
      }
      Thread.sleep(10);
    }
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
