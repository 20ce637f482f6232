package io.boxer.netlab;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts probe JVMs ({@link LabProbe}, or another main class on this JVM's class path) inside lab hosts, on the
 * test JVM's own JDK; each one's output goes to {@code target/probe-logs/}.
 */
final class Probes {
  private static final Path LOGS = Path.of("target", "probe-logs");
  private static final AtomicInteger STARTED = new AtomicInteger();

  private Probes() {}

  static HostProcess start(LabHost host, String... args) throws IOException {
    return start(host, LabProbe.class, args);
  }

  /** Runs {@code mainClass} with {@code args} inside {@code host}. */
  static HostProcess start(LabHost host, Class<?> mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto",
        "-cp", System.getProperty("java.class.path"), mainClass.getName()));
    command.addAll(List.of(args));
    String name = host.name() + " " + String.join(" ", args);
    Path log = LOGS.resolve(STARTED.incrementAndGet() + "-" + host.name() + "-" + mainClass.getSimpleName() + ".log");
    return HostProcess.start(name, host, Map.of(), command, log);
  }
}
