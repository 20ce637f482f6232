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
    configureLogging();
    CommandLine cli = new CommandLine(new BoxerCommand());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("boxer: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      commandLine.getErr().flush();
      return 1;
    });
    return cli;
  }

  private static void configureLogging() {
    String level = System.getenv().getOrDefault("BOXER_LOG_LEVEL", "info");
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", level);
    System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    System.setProperty("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    System.setProperty("org.slf4j.simpleLogger.showShortLogName", "true");
  }
}
