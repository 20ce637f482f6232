package io.boxer.netlab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A probe JVM ({@link LabProbe}, or another main class) running inside a lab host's namespace; owns the process
 * and kills it on close.
 */
final class ProbeProcess implements AutoCloseable {
  private static final String EOF = "\u0000EOF";

  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> seen = new ArrayList<>();
  private final String label;

  private ProbeProcess(Process process, String label) {
    this.process = process;
    this.label = label;
    Thread reader = new Thread(this::pump, "probe-reader-" + label);
    reader.setDaemon(true);
    reader.start();
  }

  static ProbeProcess start(LabHost host, String... args) throws IOException {
    return start(host, LabProbe.class, args);
  }

  /** Runs {@code mainClass} (on this JVM's class path) with {@code args} inside {@code host}. */
  static ProbeProcess start(LabHost host, Class<?> mainClass, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(
        Path.java(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
        "-cp", System.getProperty("java.class.path"), mainClass.getName()));
    cmd.addAll(List.of(args));
    Process p = host.processBuilder(cmd.toArray(String[]::new)).redirectErrorStream(true).start();
    return new ProbeProcess(p, host.name() + " " + String.join(" ", args));
  }

  private void pump() {
    try (BufferedReader r =
        new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        lines.add(line);
      }
    } catch (IOException e) {
      lines.add("READ-ERROR " + e);
    } finally {
      lines.add(EOF);
    }
  }

  /** The first line starting with {@code prefix}; fails with everything seen if none comes in time. */
  String awaitLine(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left <= 0 ? null : lines.poll(left, TimeUnit.NANOSECONDS);
      if (line == null || line.equals(EOF)) {
        throw new AssertionError("probe [" + label + "] gave no line starting with '" + prefix + "' within "
            + timeout.toMillis() + " ms" + (line == null ? "" : " (exited)") + "; output: " + seen);
      }
      seen.add(line);
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  /** Waits for the exit code; kills the probe and fails if it does not exit in time. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("probe [" + label + "] still running after " + timeout.toMillis() + " ms");
    }
    return process.exitValue();
  }

  List<String> output() {
    return List.copyOf(seen);
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }

  /** Where the test JVM's java binary is: the probes run on the same JDK. */
  private static final class Path {
    static String java() {
      return java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
  }
}
