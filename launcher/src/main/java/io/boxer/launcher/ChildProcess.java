package io.boxer.launcher;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The user's command: started with inherited stdio and extra environment variables. */
final class ChildProcess {

  static Process start(List<String> command, Map<String, String> extraEnv) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).inheritIO();
    builder.environment().putAll(extraEnv);
    return builder.start();
  }

  /** The value for JAVA_TOOL_OPTIONS: what was there, plus our agent. */
  static String javaToolOptions(String existing, String agentJar) {
    String agent = "-javaagent:" + agentJar;
    return existing == null || existing.isBlank() ? agent : existing + " " + agent;
  }

  private ChildProcess() {}
}
