package io.boxer.launcher;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import sun.misc.Signal;

/**
 * The user's command, started with inherited stdio. SIGTERM and SIGINT sent to boxer are forwarded to it
 * as the same signal, and boxer then waits for the child to exit, so the child decides how to stop and its
 * exit code becomes boxer's.
 */
final class ChildProcess {
  private static final List<String> FORWARDED = List.of("TERM", "INT");

  static Process start(List<String> command, Map<String, String> extraEnv) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().putAll(extraEnv);
    Process child = builder.start();
    for (String name : FORWARDED) {
      Signal.handle(new Signal(name), signal -> forward(child, name));
    }
    return child;
  }

  private static void forward(Process child, String signal) {
    if (!child.isAlive()) {
      return;
    }
    try {
      new ProcessBuilder("kill", "-" + signal, Long.toString(child.pid())).inheritIO().start();
    } catch (IOException e) {
      child.destroy(); // no kill(1): SIGTERM is the best we can do
    }
  }

  /** The value for JAVA_TOOL_OPTIONS: what was there, plus our agent. */
  static String javaToolOptions(String existing, String agentJar) {
    String agent = "-javaagent:" + agentJar;
    return existing == null || existing.isBlank() ? agent : existing + " " + agent;
  }

  private ChildProcess() {}
}
