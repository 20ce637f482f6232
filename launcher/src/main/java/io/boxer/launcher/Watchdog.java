package io.boxer.launcher;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleans up after {@code boxer run} when boxer cannot: a small POSIX sh process, in a session of its own
 * (out of reach of signals aimed at boxer's process group or terminal) and ignoring every catchable signal.
 *
 * <p>The lifeline: its stdin is a pipe whose only write end boxer's JVM holds (the JDK closes all other
 * descriptors in every child it starts, and the native signal pipe is close-on-exec). When boxer's process
 * dies by any means, SIGKILL included, the kernel closes that end and the watchdog reads end-of-file; it then
 * kills the command's process group with SIGKILL and removes the work directory (and says so on stderr, in
 * one line starting "boxer: ").
 *
 * <p>Protocol, lines on its stdin: {@code group PGID} once the command runs; {@code done} once boxer has
 * cleaned up itself, after which the watchdog exits without touching anything, so a process group id that
 * the kernel hands out again later is never killed. The watchdog creates the work directory itself and prints
 * its path as its first line, so the directory never exists without someone to remove it.
 *
 * <p>The command runs before boxer can send its group (measured: up to tens of milliseconds in a young JVM,
 * and until setsid(1) has called setsid() the group does not exist). So the watchdog also kills, by pid, every
 * process that still carries this run's unique {@code BOXER_AGENT_SOCKET} (RunCommand sets it to
 * {@code WORKDIR/agent.sock}) in its {@code /proc/PID/environ}: one GNU {@code grep -z} over /proc, about
 * 10 ms. No bare pid from before is ever killed, so a pid the kernel reused is safe.
 *
 * <p>Thread: {@link #watchGroup} and {@link #release} are called by the thread running {@code boxer run}.
 */
final class Watchdog {
  private static final Logger log = LoggerFactory.getLogger(Watchdog.class);
  private static final Duration START_TIMEOUT = Duration.ofSeconds(10);
  private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(2);

  /** $1: the directory to create the work directory in. */
  static final String SCRIPT = """
      trap '' HUP INT QUIT TERM PIPE
      dir=$(mktemp -d "$1/boxer-node-XXXXXXXXXX") || exit 1
      echo "$dir"
      group=
      while IFS= read -r line; do
        case $line in
          'group '*) group=${line#group } ;;
          done) exit 0 ;;
        esac
      done
      [ -z "$group" ] || kill -s KILL -- "-$group" 2>/dev/null
      for environ in $(grep -lzxF "BOXER_AGENT_SOCKET=$dir/agent.sock" /proc/[0-9]*/environ 2>/dev/null); do
        pid=${environ#/proc/}; kill -s KILL "${pid%/environ}" 2>/dev/null
      done
      rm -rf -- "$dir"
      killed="process group ${group:-(not known yet)} and every process with BOXER_AGENT_SOCKET=$dir/agent.sock"
      echo "boxer: boxer (pid $PPID) died before cleaning up; its watchdog killed $killed, and removed $dir" >&2
      """;

  private final Process process;
  private final Writer lifeline;
  private final Path workDir;
  private volatile boolean released;

  private Watchdog(Process process, Path workDir) {
    this.process = process;
    this.lifeline = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.US_ASCII);
    this.workDir = workDir;
  }

  /** {@code setsid -- sh -c SCRIPT boxer-watchdog TEMPROOT}. */
  static List<String> command(RequiredPrograms programs, Path tempRoot) {
    return List.of(programs.setsid().toString(), "--", programs.sh().toString(), "-c", SCRIPT, "boxer-watchdog",
        tempRoot.toString());
  }

  /** Starts the watchdog, which creates a fresh work directory under {@code tempRoot}. */
  static Watchdog start(RequiredPrograms programs, Path tempRoot) throws IOException {
    Process process = new ProcessBuilder(command(programs, tempRoot)).redirectError(Redirect.INHERIT).start();
    Watchdog watchdog = new Watchdog(process, readWorkDir(process, tempRoot));
    process.onExit().thenRun(watchdog::warnIfEarly);
    return watchdog;
  }

  private static Path readWorkDir(Process process, Path tempRoot) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> line = CompletableFuture.supplyAsync(() -> {
      try {
        return out.readLine();
      } catch (IOException e) {
        return null;
      }
    });
    String dir;
    try {
      dir = awaitUninterruptibly(line, START_TIMEOUT);
    } catch (TimeoutException | ExecutionException e) {
      process.destroyForcibly();
      throw new IOException("the watchdog did not start within " + START_TIMEOUT.toSeconds() + " s: " + e, e);
    }
    if (dir == null || dir.isEmpty()) {
      throw new IOException("the watchdog could not create a work directory under " + tempRoot
          + " (expected: a writable java.io.tmpdir)");
    }
    out.close(); // it prints nothing else there
    return Path.of(dir);
  }

  /**
   * An interrupt here is a signal stopping boxer: it must not leave the watchdog half started, so the wait
   * goes on (bounded) and the interrupt is kept for the caller's next wait.
   */
  private static <T> T awaitUninterruptibly(CompletableFuture<T> future, Duration timeout)
      throws TimeoutException, ExecutionException {
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The work directory: created by the watchdog, removed by boxer on release or by the watchdog if boxer dies. */
  Path workDir() {
    return workDir;
  }

  long pid() {
    return process.pid();
  }

  /** From now on, boxer's death also kills process group {@code pgid}. */
  void watchGroup(long pgid) {
    try {
      // no string concatenation: its first use links an invokedynamic call site, milliseconds in a young JVM
      lifeline.write("group ");
      lifeline.write(Long.toString(pgid));
      lifeline.write('\n');
      lifeline.flush();
    } catch (IOException e) {
      log.warn("The watchdog is gone; if boxer dies now, the command outlives it. pgid={} reason={}", pgid,
          e.toString());
    }
  }

  /**
   * Boxer has cleaned up (the command's group and the work directory are gone): tells the watchdog to exit
   * without doing anything and waits for it (bounded).
   */
  void release() {
    released = true;
    try {
      lifeline.write("done\n");
      lifeline.close();
    } catch (IOException e) {
      log.warn("The watchdog was gone before boxer released it. pid={} reason={}", process.pid(), e.toString());
    }
    try {
      if (!process.waitFor(EXIT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        log.warn("The watchdog did not exit when released; killing it. pid={}", process.pid());
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void warnIfEarly() {
    if (!released) {
      log.warn("The watchdog exited early; if boxer dies now, the command and its work directory outlive it. "
          + "pid={} exitCode={}", process.pid(), process.exitValue());
    }
  }
}
