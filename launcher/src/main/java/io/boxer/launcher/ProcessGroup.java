package io.boxer.launcher;

import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The command's process group. The command runs under {@code setsid(1)}, which calls setsid() and execs it
 * in place (it forks only when it is already a group leader, which a child of the JVM never is), so the
 * group id is the command's pid, and every descendant that does not leave the group on purpose is in it.
 * Signals go to the whole group with {@code kill -s SIG -- -PGID} (kill(1): no native code needed).
 *
 * <p>The group id stays the command's as long as any member lives: Linux does not hand out a pid that is
 * still some process's group id. Thread-safe: only the ids are state; each call runs kill(1) to completion.
 */
final class ProcessGroup {
  /** Runs a command to completion and returns its exit status, or -1 if it could not run or took too long. */
  @FunctionalInterface
  interface CommandRunner {
    int run(List<String> command);
  }

  /** Counts the live processes of a group. */
  @FunctionalInterface
  interface Census {
    int liveMembers(long processGroup);
  }

  /** What {@link #terminate} had to do. */
  enum Leftovers {
    /** The group was empty when the command exited. */
    NONE,
    /** SIGTERM emptied the group within the grace period. */
    TERMINATED,
    /** Something outlived the grace period and got SIGKILL. */
    KILLED
  }

  private static final Duration KILL_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration POLL = Duration.ofMillis(20);
  private static final Duration AFTER_KILL = Duration.ofSeconds(1);

  private final long id;
  private final BooleanSupplier leaderAlive;
  private final Path kill;
  private final CommandRunner runner;
  private final Census census;

  /**
   * @param id the group id (the leader's pid)
   * @param leaderAlive whether the leader still runs (before it called setsid() the group does not exist yet)
   * @param kill the kill(1) program
   */
  ProcessGroup(long id, BooleanSupplier leaderAlive, Path kill, CommandRunner runner, Census census) {
    this.id = id;
    this.leaderAlive = leaderAlive;
    this.kill = kill;
    this.runner = runner;
    this.census = census;
  }

  /** The group led by {@code leader}, which was started through setsid(1). */
  static ProcessGroup ledBy(Process leader, Path kill) {
    CommandRunner runner = ProcessGroup::runToCompletion;
    Census census = ProcessTable.available()
        ? ProcessTable::liveMembers
        : group -> runner.run(killCommand(kill, "0", -group)) == 0 ? 1 : 0; // no /proc: zombies count too
    return new ProcessGroup(leader.pid(), leader::isAlive, kill, runner, census);
  }

  long id() {
    return id;
  }

  /** Sends {@code signal} to every process of the group; false if there was nobody to receive it. */
  boolean signal(ForwardedSignal signal) {
    return send(signal.name());
  }

  /**
   * SIGTERM to whatever is in the group (what the leader left after it exited, or the whole running command),
   * then SIGKILL to what is still there after {@code grace}. Returns within grace plus about a second.
   */
  Leftovers terminate(Duration grace) {
    if (census.liveMembers(id) == 0) {
      return Leftovers.NONE;
    }
    send("TERM");
    if (awaitEmpty(grace)) {
      return Leftovers.TERMINATED;
    }
    send("KILL");
    awaitEmpty(AFTER_KILL);
    return Leftovers.KILLED;
  }

  private boolean send(String signal) {
    if (runner.run(killCommand(kill, signal, -id)) == 0) {
      return true;
    }
    // no such group: the leader is still setsid(1) before its setsid() call, and has no descendants yet
    return leaderAlive.getAsBoolean() && runner.run(killCommand(kill, signal, id)) == 0;
  }

  private boolean awaitEmpty(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (census.liveMembers(id) > 0) {
      if (System.nanoTime() - deadline >= 0) {
        return false;
      }
      try {
        Thread.sleep(POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  /** {@code kill -s SIGNAL -- TARGET}; a negative target is a process group. */
  static List<String> killCommand(Path kill, String signal, long target) {
    return List.of(kill.toString(), "-s", signal, "--", Long.toString(target));
  }

  private static int runToCompletion(List<String> command) {
    try {
      Process process = new ProcessBuilder(command)
          .redirectOutput(Redirect.DISCARD)
          .redirectError(Redirect.DISCARD) // "No such process" is an answer here, not an error
          .start();
      process.getOutputStream().close();
      if (!process.waitFor(KILL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return -1;
      }
      return process.exitValue();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
