package io.boxer.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sees {@code boxer run} through so that nothing outlives it, on every exit path: takes over the signals,
 * starts the {@link Watchdog} (which creates the work directory and cleans up if boxer dies), runs the command
 * in a process group of its own with signals forwarded to the whole group, stops what the command leaves in
 * its group when it exits, and on {@link #close} removes the work directory and releases the watchdog.
 *
 * <p>The Lambda handler uses it without the signals ({@link #startWithoutSignals}): there the runtime owns the
 * process, and the function's deadline, not a signal, ends the command.
 *
 * <p>Lifecycle: {@link #start} once, {@link #runCommand} at most once, {@link #close} once, after the node has
 * left the cluster. Thread: the thread running {@code boxer run}, whose interrupt means "a signal stopped
 * boxer before the command ran".
 */
public final class ChildSupervisor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChildSupervisor.class);
  /** How long what the command left in its group gets between SIGTERM and SIGKILL. */
  static final Duration LEFTOVER_GRACE = Duration.ofSeconds(2);

  private final RequiredPrograms programs;
  private final SignalForwarder signals;
  private final Watchdog watchdog;
  private volatile ProcessGroup running;
  private volatile String stopReason;

  private ChildSupervisor(RequiredPrograms programs, SignalForwarder signals, Watchdog watchdog) {
    this.programs = programs;
    this.signals = signals;
    this.watchdog = watchdog;
  }

  /**
   * Checks that the programs it needs are on {@code path}, then takes over HUP, INT and TERM (from here on
   * they interrupt {@code main}), starts the watchdog and takes over QUIT.
   *
   * @throws RequiredPrograms.MissingProgramException before anything is started
   */
  static ChildSupervisor start(Thread main, String path, Path tempRoot)
      throws RequiredPrograms.MissingProgramException, IOException {
    RequiredPrograms programs = RequiredPrograms.find(path);
    SignalForwarder signals = SignalForwarder.install(main);
    Watchdog watchdog = Watchdog.start(programs, tempRoot);
    signals.takeOverQuit(watchdog.workDir());
    return new ChildSupervisor(programs, signals, watchdog);
  }

  /**
   * Like {@link #start}, but takes over no signal: for a process that is not boxer's own, such as a Lambda
   * function's runtime, where the command is stopped by {@link #stopCommand}.
   */
  public static ChildSupervisor startWithoutSignals(String path, Path tempRoot)
      throws RequiredPrograms.MissingProgramException, IOException {
    RequiredPrograms programs = RequiredPrograms.find(path);
    return new ChildSupervisor(programs, new SignalForwarder(Thread.currentThread()), Watchdog.start(programs, tempRoot));
  }

  /** The run's private directory (agent socket, peers file); gone after {@link #close} or boxer's death. */
  public Path workDir() {
    return watchdog.workDir();
  }

  /** The POSIX sh found on PATH when this supervisor started. */
  Path shell() {
    return programs.sh();
  }

  /** The signal that stopped boxer before the command ran, if one came. */
  Optional<ForwardedSignal> stoppedBy() {
    return signals.stoppedBy();
  }

  /**
   * Called just before the command is started: the signal that already stopped boxer, if one came (then the
   * command must not start); otherwise signals are held for the command from now on.
   */
  Optional<ForwardedSignal> beginCommand() {
    return signals.beginChild();
  }

  /**
   * Runs the command in its own session and waits for it (as long as it runs; boxer's signals are forwarded to
   * its group meanwhile). When it has exited, whatever is left in its group gets SIGTERM, and SIGKILL after
   * {@link #LEFTOVER_GRACE}.
   */
  public CommandExit runCommand(List<String> command, Map<String, String> env) throws IOException {
    return runCommand(command, env, null);
  }

  /**
   * Like {@link #runCommand(List, Map)}, but the command's output goes through pipes: copied to this process's
   * stdout and stderr and kept in {@code tail} (null: the command inherits them).
   */
  public CommandExit runCommand(List<String> command, Map<String, String> env, OutputTail tail) throws IOException {
    Process child = ChildProcess.start(programs.setsid(), command, env, tail != null);
    List<Thread> pumps = tail == null ? List.of() : List.of(
        tail.pump(child.getInputStream(), System.out, "boxer-stdout-" + child.pid()),
        tail.pump(child.getErrorStream(), System.err, "boxer-stderr-" + child.pid()));
    watchdog.watchGroup(child.pid()); // first: until then only the watchdog's search by environment covers it
    ProcessGroup group = ProcessGroup.ledBy(child, programs.kill());
    signals.attach(group);
    running = group;
    String stop = stopReason;
    if (stop != null) {
      stopGroup(group, stop); // the node failed while the command was starting
    }
    int code = waitUninterruptibly(child);
    ProcessGroup.Leftovers leftovers = group.terminate(LEFTOVER_GRACE);
    if (leftovers != ProcessGroup.Leftovers.NONE) {
      log.info("Stopped what the command left running in its process group. pgid={} outcome={}", group.id(), leftovers);
    }
    OutputTail.awaitPumps(pumps);
    return new CommandExit(code, signals.lastForwarded(), Optional.ofNullable(stopReason));
  }

  /**
   * The node can no longer be a member (see {@code BoxerNode.fatal()}): stop the command's whole group,
   * SIGTERM first and SIGKILL after {@link #LEFTOVER_GRACE}, off the calling thread. {@link #runCommand} then
   * returns with this reason. Called at most once; any thread.
   */
  public void stopCommand(String reason) {
    stopReason = reason;
    ProcessGroup group = running;
    if (group != null) {
      stopGroup(group, reason);
    }
  }

  private static void stopGroup(ProcessGroup group, String reason) {
    Thread stopper = new Thread(() -> {
      log.warn("Stopping the command: this node cannot stay in the cluster. pgid={} reason={}", group.id(), reason);
      group.terminate(LEFTOVER_GRACE);
    }, "boxer-stop-command");
    stopper.setDaemon(true);
    stopper.start();
  }

  /** How the command ended. */
  public record CommandExit(int code, Optional<ForwardedSignal> lastForwarded, Optional<String> stoppedBecause) {
    /** boxer's exit code: the command's own, unless boxer stopped it because the node failed (1). */
    public int exitCode() {
      return stoppedBecause.isPresent() ? 1 : code;
    }

    /** One sentence for boxer's last line. */
    public String reason() {
      if (stoppedBecause.isPresent()) {
        return stoppedBecause.get() + "; the command was stopped (it exited with code " + code + ")";
      }
      return "the command exited with code " + code
          + lastForwarded.map(s -> " after boxer forwarded " + s.fullName() + " to its process group").orElse("");
    }
  }

  /** Removes the work directory, then releases the watchdog (which then exits without touching anything). */
  @Override
  public void close() {
    try {
      deleteRecursively(workDir());
    } catch (IOException | UncheckedIOException e) {
      log.warn("Could not remove the work directory. dir={} reason={}", workDir(), e.toString());
    } finally {
      watchdog.release();
    }
  }

  /** Waits for the command; boxer's own signals are forwarded to it, so nothing should interrupt this wait. */
  private static int waitUninterruptibly(Process child) {
    while (true) {
      try {
        return child.waitFor();
      } catch (InterruptedException e) {
        // nothing interrupts this thread once the command runs; if something does, the command still decides
      }
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
