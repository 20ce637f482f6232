package io.boxer.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The user's command: started with inherited stdio (or piped, see {@link OutputTail}) and extra environment variables, in a session (and so a
 * process group) of its own, through {@code setsid -- COMMAND...}. setsid(1) execs the command in place, so the
 * returned process is the command itself and its pid is the group id (see {@link ProcessGroup}).
 */
final class ChildProcess {

  /** Environment variables of boxer's that the command never sees: the cluster's secret is boxer's alone. */
  static final Set<String> WITHHELD = Set.of("BOXER_TOKEN");

  /** Starts the command with boxer's stdio, or with its stdout and stderr on pipes if {@code piped}. */
  static Process start(Path setsid, List<String> command, Map<String, String> extraEnv, boolean piped)
      throws IOException {
    ProcessBuilder builder = new ProcessBuilder(commandLine(setsid, command)).inheritIO();
    if (piped) {
      builder.redirectOutput(ProcessBuilder.Redirect.PIPE).redirectError(ProcessBuilder.Redirect.PIPE);
    }
    builder.environment().keySet().removeAll(WITHHELD);
    builder.environment().putAll(extraEnv);
    return builder.start();
  }

  /** {@code SETSID -- COMMAND...}: "--" so that a command starting with '-' is not taken for an option. */
  static List<String> commandLine(Path setsid, List<String> command) {
    List<String> line = new ArrayList<>(command.size() + 2);
    line.add(setsid.toString());
    line.add("--");
    line.addAll(command);
    return line;
  }

  /** The value for JAVA_TOOL_OPTIONS: what was there, plus the options that load our agent. */
  static String javaToolOptions(String existing, AgentLoading agent) {
    String options = agent.jvmOptions();
    return existing == null || existing.isBlank() ? options : existing + " " + options;
  }

  private ChildProcess() {}
}
