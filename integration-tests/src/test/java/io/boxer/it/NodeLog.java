package io.boxer.it;

import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** Tells boxer's own log lines from the output of the command it runs: under boxer run the two interleave. */
final class NodeLog {
  /** A line of boxer's own log, {@code HH:MM:SS.mmm [thread] ...}; under boxer run the rest is the command's. */
  static final Pattern LINE = Pattern.compile("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} \\[");

  private NodeLog() {}

  /** What the command under boxer run printed: {@code output} without boxer's log lines. */
  static String commandOutput(String output) {
    return output.lines().filter(l -> !LINE.matcher(l).lookingAt()).collect(Collectors.joining("\n"));
  }
}
