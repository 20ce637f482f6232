package io.boxer.netlab;

import io.boxer.netlab.wan.WanDelayer;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts a lab's WAN delayer ({@link WanDelayer}) and waits until it serves every queue. It runs in the lab's
 * {@code pub} namespace, so whatever tears the lab down (its {@link Lab#close()}, {@code boxer lab down},
 * {@code bin/boxer-lab-cleanup}) kills it with the other processes of the lab's namespaces; nothing here
 * stops it. It runs on this JVM's own {@code java} and class path (which hold netlab and JNA). Stateless.
 */
final class WanDelayerProcess {
  /** A cold JVM on a loaded machine; the delayer itself binds its queues in milliseconds. */
  static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private WanDelayerProcess() {}

  /** The command line: {@code ip netns exec PUB java ... WanDelayer ...}. Pure, for tests. */
  static List<String> command(LabTools tools, String publicNamespace, WanSpec wan, List<String> namespaces,
      Path statusFile, String javaHome, String classPath) {
    List<String> c = new ArrayList<>(List.of(Path.of(javaHome, "bin", "java").toString(),
        // small and steady: a few MB of live data; the serial collector's pauses are short at this size
        "-Xmx64m", "-XX:+UseSerialGC", "-XX:-UsePerfData",
        "-cp", classPath, WanDelayer.class.getName(),
        "--status-file", statusFile.toString(),
        "--one-way-micros", Long.toString(wan.oneWayMicros()),
        "--jitter-micros", Long.toString(wan.jitterMicros())));
    for (String ns : namespaces) {
      c.add("/run/netns/" + ns);
    }
    return tools.inNamespace(publicNamespace, c);
  }

  /**
   * Starts the delayer for {@code namespaces} and returns once its status file exists (every queue is bound).
   *
   * @throws LabException if it exits or does not get ready in {@link #READY_TIMEOUT}, with its output
   */
  static void start(LabTools tools, String publicNamespace, WanSpec wan, List<String> namespaces,
      Path statusFile, Path logFile) {
    List<String> command = command(tools, publicNamespace, wan, namespaces, statusFile,
        System.getProperty("java.home"), System.getProperty("java.class.path"));
    Process p;
    try {
      Files.deleteIfExists(statusFile);
      p = new ProcessBuilder(command)
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .redirectErrorStream(true)
          .redirectOutput(logFile.toFile())
          .start();
    } catch (IOException e) {
      throw new LabException("WAN delayer could not start: " + e.getMessage(), e);
    }
    long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
    while (!Files.exists(statusFile)) {
      if (!p.isAlive()) {
        throw new LabException("WAN delayer exited with " + p.exitValue() + ": " + output(logFile));
      }
      if (System.nanoTime() > deadline) {
        p.destroyForcibly();
        throw new LabException("WAN delayer not ready after " + READY_TIMEOUT.toSeconds() + " s: "
            + output(logFile));
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        p.destroyForcibly();
        Thread.currentThread().interrupt();
        throw new LabException("interrupted while the WAN delayer started", e);
      }
    }
  }

  private static String output(Path logFile) {
    try {
      String s = Files.readString(logFile, StandardCharsets.UTF_8).strip();
      return s.isEmpty() ? "(no output)" : s;
    } catch (IOException e) {
      return "(no output: " + e.getMessage() + ")";
    }
  }
}
