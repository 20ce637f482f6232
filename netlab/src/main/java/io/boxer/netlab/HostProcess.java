package io.boxer.netlab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * One program running inside a lab host ({@code ip netns exec NS COMMAND}), its stdout and stderr in one log
 * file, which is also where {@link #awaitLine} and {@link #output()} read. {@code ip netns exec} execs the
 * program, so the process is the program itself: {@link #signal} and {@link #close()} reach it (and {@code boxer
 * run} forwards them to its child). The program does not inherit this JVM's {@code JAVA_TOOL_OPTIONS} (a test's
 * or Boxer's agent is not the program's); {@code env} sets its variables. Thread-safe.
 */
public final class HostProcess implements AutoCloseable {
  private static final long POLL_MILLIS = 100;
  private static final int TAIL_LINES = 15;

  private final String name;
  private final Process process;
  private final Path log;

  private HostProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command} in {@code host} with {@code env} added to the environment, its output in {@code log}. */
  public static HostProcess start(String name, LabHost host, Map<String, String> env, List<String> command,
      Path log) throws IOException {
    return startCommand(name, env, host.command(command), log);
  }

  /**
   * Starts {@code command} as given: one already placed in a namespace ({@link LabHost#command},
   * {@link LabHost#natCommand}) or one for this machine's own, with {@code env} added to the environment and its
   * output in {@code log} (replaced if it exists).
   */
  public static HostProcess startCommand(String name, Map<String, String> env, List<String> command, Path log)
      throws IOException {
    Path dir = log.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().putAll(env);
    return new HostProcess(name, builder.start(), log);
  }

  /** The name given at start, for messages and log names. */
  public String name() {
    return name;
  }

  /** The log file: stdout and stderr. */
  public Path log() {
    return log;
  }

  /** The process's pid: the program's, as {@code ip netns exec} execs it. */
  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** The log so far. */
  public String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** The last lines of the log, for error messages. */
  public String tail() {
    List<String> lines = output().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
  }

  /**
   * The first log line matching {@code wanted}, waiting up to {@code timeout}.
   *
   * @throws IOException if the process exits first or the time runs out, with the log's tail
   */
  public String awaitLine(Predicate<String> wanted, Duration timeout) throws IOException, InterruptedException {
    return awaitReady(() -> completeLines().stream().filter(wanted).findFirst(), " (no such line in " + log + ")",
        timeout);
  }

  /** The log's lines without the last one while it may still be half written (no newline, the process alive). */
  private List<String> completeLines() {
    boolean exited = !process.isAlive();
    String output = output();
    List<String> lines = output.lines().toList();
    if (!exited && !lines.isEmpty() && !output.endsWith("\n")) {
      return lines.subList(0, lines.size() - 1);
    }
    return lines;
  }

  /**
   * The content of {@code file}, which this process writes whole (by rename) once it is ready, waiting up to
   * {@code timeout}: a file is data, where a log line is text for people.
   *
   * @throws IOException if the process exits first or the time runs out, with the log's tail
   */
  public String awaitFile(Path file, Duration timeout) throws IOException, InterruptedException {
    return awaitReady(() -> Files.exists(file) ? Optional.of(Files.readString(file, StandardCharsets.UTF_8))
        : Optional.empty(), " (no " + file + ")", timeout);
  }

  /** What {@link #awaitReady} polls: the sign of readiness once it is there. */
  @FunctionalInterface
  private interface ReadySign {
    Optional<String> poll() throws IOException;
  }

  /**
   * Polls {@code sign} every {@value #POLL_MILLIS} ms until it is there, up to {@code timeout}.
   *
   * @param missing what the errors add after "before it was ready" and "within N s", e.g. the file not written
   * @throws IOException if the process exits first or the time runs out, with the log's tail
   */
  private String awaitReady(ReadySign sign, String missing, Duration timeout) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Optional<String> ready = sign.poll();
      if (ready.isPresent()) {
        return ready.get();
      }
      if (!process.isAlive()) {
        // it may have written the sign just before it exited
        ready = sign.poll();
        if (ready.isPresent()) {
          return ready.get();
        }
        throw new IOException(name + " exited with " + process.exitValue() + " before it was ready" + missing + ":\n"
            + tail());
      }
      if (System.nanoTime() > deadline) {
        throw new IOException(name + " was not ready within " + timeout.toSeconds() + " s" + missing + ":\n" + tail());
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  /**
   * Waits for the exit code, up to {@code timeout}.
   *
   * @throws IOException if it is still running then (it is stopped as by {@link #close()})
   */
  public int awaitExit(Duration timeout) throws IOException, InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      close();
      throw new IOException(name + " did not finish within " + timeout.toSeconds() + " s:\n" + tail());
    }
    return process.exitValue();
  }

  /**
   * As {@link #awaitExit}, passing each new log line to {@code echo} as it appears (progress of a long run).
   */
  public int awaitExitEchoing(Duration timeout, Consumer<String> echo) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int shown = 0;
    while (true) {
      boolean exited = process.waitFor(POLL_MILLIS * 5, TimeUnit.MILLISECONDS);
      List<String> lines = completeLines();
      for (; shown < lines.size(); shown++) {
        echo.accept(lines.get(shown));
      }
      if (exited) {
        return process.exitValue();
      }
      if (System.nanoTime() > deadline) {
        close();
        throw new IOException(name + " did not finish within " + timeout.toSeconds() + " s:\n" + tail());
      }
    }
  }

  /**
   * Sends {@code signal} (e.g. {@code TERM}) to the process itself, as a user's kill(1) would.
   *
   * @throws IOException if kill(1) fails, e.g. because the process is gone
   */
  public void signal(String signal) throws IOException, InterruptedException {
    if (!Signals.send(signal, List.of(process.pid()))) {
      throw new IOException("kill -" + signal + " " + process.pid() + " (" + name + ") failed");
    }
  }

  /** Asks the process to stop (SIGTERM) without waiting; {@link #close()} then waits and kills. */
  public void terminate() {
    process.destroy();
  }

  /** SIGTERM, up to 10 s for a clean exit, then SIGKILL of the process and its descendants. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (process.waitFor(10, TimeUnit.SECONDS)) {
        return;
      }
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
