package io.boxer.cli;

import picocli.CommandLine;

/** Entry point of {@code bin/boxer}. The CLI is the only place that exits the JVM. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The configured command line: exceptions print one line, not a stack trace, and exit 1. */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new BoxerCommand());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("boxer: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      commandLine.getErr().flush();
      return 1;
    });
    return cli;
  }
}
