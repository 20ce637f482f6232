package io.boxer.deathstar.run;

import io.boxer.netlab.LabHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One program running inside a lab host ({@code ip netns exec NS env K=V... COMMAND}), its stdout and stderr
 * in one log file. {@code ip netns exec} and {@code env} exec the program, so the process is the program
 * itself: {@link #close()} sends it SIGTERM (which {@code boxer run} forwards to its child), then kills what
 * is left. Thread-safe for {@link #awaitLine}, {@link #awaitFile} and {@link #close}.
 */
final class HostProcess implements AutoCloseable {
  private static final long POLL_MILLIS = 100;

  private final String name;
  private final Process process;
  private final Path log;

  private HostProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command} in {@code host} with {@code env} added to the environment. */
  static HostProcess start(String name, LabHost host, Map<String, String> env, List<String> command, Path log)
      throws IOException {
    List<String> inHost = new ArrayList<>(List.of("env"));
    env.forEach((k, v) -> inHost.add(k + "=" + v));
    inHost.addAll(command);
    Files.createDirectories(log.getParent());
    ProcessBuilder pb = new ProcessBuilder(host.command(inHost))
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    return new HostProcess(name, pb.start(), log);
  }

  /** The log so far. */
  String output() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /**
   * The first log line matching {@code wanted}, waiting up to {@code timeout}.
   *
   * @throws IOException if the process exits first or the time runs out, with the log's tail
   */
  String awaitLine(Predicate<String> wanted, Duration timeout) throws IOException, InterruptedException {
    return awaitReady(() -> output().lines().filter(wanted).findFirst(), "", timeout);
  }

  /**
   * The content of {@code file}, which this process writes whole (by rename) once it is ready, waiting up to
   * {@code timeout}: a file is data, where a log line is text for people.
   *
   * @throws IOException if the process exits first or the time runs out, with the log's tail
   */
  String awaitFile(Path file, Duration timeout) throws IOException, InterruptedException {
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
   * @throws IOException if it is still running then (it is killed)
   */
  int awaitExit(Duration timeout) throws IOException, InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      close();
      throw new IOException(name + " did not finish within " + timeout.toSeconds() + " s:\n" + tail());
    }
    return process.exitValue();
  }

  /**
   * As {@link #awaitExit}, passing each new log line to {@code echo} as it appears (progress of a long run).
   */
  int awaitExitEchoing(Duration timeout, java.util.function.Consumer<String> echo)
      throws IOException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int shown = 0;
    while (true) {
      boolean exited = process.waitFor(POLL_MILLIS * 5, TimeUnit.MILLISECONDS);
      List<String> lines = output().lines().toList();
      // the last line may still be half written, unless the process is gone
      int complete = exited ? lines.size() : Math.max(shown, lines.size() - 1);
      for (; shown < complete; shown++) {
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

  /** Asks the process to stop (SIGTERM) without waiting; {@link #close()} then waits and kills. */
  void terminate() {
    process.destroy();
  }

  /** The last lines of the log, for error messages. */
  String tail() {
    List<String> lines = output().lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
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
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
