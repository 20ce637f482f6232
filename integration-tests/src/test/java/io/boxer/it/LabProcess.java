package io.boxer.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A process started in a lab host whose merged stdout/stderr is collected line by line, so a test can wait
 * for a line and show everything the process said when an assertion fails. {@link #close()} stops it and
 * its descendants: SIGTERM first (boxer forwards it to its child), then SIGKILL.
 */
final class LabProcess implements AutoCloseable {
  /** A line of boxer's own log, {@code HH:MM:SS.mmm [thread] ...}; under boxer run the rest is the command's. */
  static final Pattern NODE_LOG_LINE = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[");

  private final String name;
  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final Thread reader;

  private LabProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    this.reader = new Thread(this::readOutput, "output-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  static LabProcess start(String name, List<String> command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().put("BOXER_LOG_LEVEL", "info");
    return new LabProcess(name, builder.start());
  }

  private void readOutput() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      // the process is gone
    }
  }

  /** Waits for a line matching {@code wanted}; fails with the whole output if it does not come in time. */
  String awaitLine(Predicate<String> wanted, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lines) {
      while (true) {
        for (String line : lines) {
          if (wanted.test(line)) {
            return line;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(name + ": expected line did not appear within " + timeout + "\n" + output());
        }
        TimeUnit.NANOSECONDS.timedWait(lines, Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
      }
    }
  }

  /** Waits for the process to exit and returns its exit code; fails if it runs longer than {@code timeout}. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + ": still running after " + timeout + "\n" + output());
    }
    reader.join(2000);
    return process.exitValue();
  }

  /** Sends a signal (e.g. "TERM") to the process itself, as a user's kill(1) would. */
  void signal(String name) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).inheritIO().start();
    if (kill.waitFor() != 0) {
      throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
    }
  }

  /** The pid of the process started ({@code ip netns exec} and bin/boxer exec in place: boxer's JVM). */
  boolean isAlive() {
    return process.isAlive();
  }

  long pid() {
    return process.pid();
  }

  String output() {
    synchronized (lines) {
      return String.join("\n", lines);
    }
  }

  /** What the command under boxer run printed: the output without boxer's log lines (they interleave). */
  String commandOutput() {
    synchronized (lines) {
      return lines.stream().filter(l -> !NODE_LOG_LINE.matcher(l).lookingAt()).collect(Collectors.joining("\n"));
    }
  }

  String name() {
    return name;
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    }
    process.descendants().forEach(ProcessHandle::destroyForcibly);
  }
}
