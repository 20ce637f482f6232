package io.boxer.netlab;

import java.util.ArrayList;
import java.util.List;

/**
 * Lists and deletes named network namespaces with {@code ip netns}. Only ever deletes names it is given;
 * callers pass lab namespaces only. Thread-safe (stateless apart from its immutable collaborators).
 */
final class Namespaces {
  private final CommandRunner runner;
  private final LabTools tools;

  Namespaces(CommandRunner runner, LabTools tools) {
    this.runner = runner;
    this.tools = tools;
  }

  /** All named namespaces, in {@code ip netns list} order. */
  List<String> list() {
    return parseList(runner.run(List.of(tools.ip(), "netns", "list")));
  }

  /** Namespace names from {@code ip netns list} output, whose lines look like {@code name (id: 3)}. */
  static List<String> parseList(String output) {
    List<String> names = new ArrayList<>();
    for (String line : output.split("\n")) {
      String t = line.strip();
      if (!t.isEmpty()) {
        names.add(t.split("\\s+", 2)[0]);
      }
    }
    return names;
  }

  /** Runs {@code command} inside {@code namespace}; fails with the command's output when it fails. */
  void exec(String namespace, List<String> command) {
    runner.run(tools.inNamespace(namespace, command));
  }

  LabTools tools() {
    return tools;
  }

  void add(String namespace) {
    runner.run(List.of(tools.ip(), "netns", "add", namespace));
  }

  /**
   * Kills the processes still inside {@code namespace}, then deletes it. Why kill: a process keeps the
   * namespace (and its addresses) alive after {@code ip netns del}, invisible to {@code ip netns list}.
   * The processes are the lab's own: nothing else runs in a lab namespace.
   */
  void delete(String namespace) {
    CommandRunner.Result pids =
        runner.runAllowingFailure(List.of(tools.ip(), "netns", "pids", namespace));
    if (pids.ok()) {
      for (String pid : pids.stdout().split("\\s+")) {
        if (!pid.isBlank()) {
          ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
        }
      }
    }
    runner.run(List.of(tools.ip(), "netns", "del", namespace));
  }
}
