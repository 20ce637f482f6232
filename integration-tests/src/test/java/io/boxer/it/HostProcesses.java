package io.boxer.it;

import io.boxer.netlab.LabHost;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;

/**
 * Finds the processes running in one lab host by their command lines, among the pids of the host's network
 * namespace ({@code ip netns pids}): the {@code boxer run} JVM (the node) and the program it runs. Reading
 * another lab's processes is impossible by construction, even when labs run side by side.
 */
final class HostProcesses {
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(10);

  private HostProcesses() {}

  /** The pid of the {@code boxer run} (or {@code boxer seed}) JVM in {@code host}: java with -jar boxer-launcher.jar. */
  static long node(LabHost host) throws IOException, InterruptedException {
    return only(host, "the boxer JVM", HostProcesses::isNode);
  }

  /** The pid of the program whose main class is {@code main} in {@code host}, not the boxer JVM that runs it. */
  static long app(LabHost host, Class<?> main) throws IOException, InterruptedException {
    return only(host, "the JVM running " + main.getName(),
        args -> !isNode(args) && args.get(0).endsWith("java") && args.contains(main.getName()));
  }

  private static boolean isNode(List<String> args) {
    return args.stream().anyMatch(a -> a.endsWith("/boxer-launcher.jar"));
  }

  private static long only(LabHost host, String what, Predicate<List<String>> wanted)
      throws IOException, InterruptedException {
    List<Long> found = new ArrayList<>();
    for (long pid : pids(host)) {
      List<String> args = commandLine(pid);
      if (!args.isEmpty() && wanted.test(args)) {
        found.add(pid);
      }
    }
    if (found.size() != 1) {
      throw new AssertionError("expected exactly one process that is " + what + " in " + host + ", found " + found);
    }
    return found.get(0);
  }

  private static List<Long> pids(LabHost host) throws IOException, InterruptedException {
    Process ip = new ProcessBuilder("ip", "netns", "pids", host.namespace()).redirectErrorStream(true).start();
    String out = new String(ip.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!ip.waitFor(COMMAND_TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS) || ip.exitValue() != 0) {
      ip.destroyForcibly();
      throw new AssertionError("ip netns pids " + host.namespace() + " failed: " + out);
    }
    return out.lines().map(String::trim).filter(l -> !l.isEmpty()).map(Long::parseLong).toList();
  }

  /** The arguments of a process, or none if it is gone. */
  private static List<String> commandLine(long pid) throws IOException {
    try {
      String raw = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline"), StandardCharsets.UTF_8);
      return raw.isEmpty() ? List.of() : Arrays.asList(raw.split("\0"));
    } catch (NoSuchFileException e) {
      return List.of();
    }
  }
}
