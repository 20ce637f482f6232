package io.boxer.deathstar.cli;

import io.boxer.deathstar.app.ConfigException;
import picocli.CommandLine;

/** Entry point of {@code deathstar-demo.jar}. The CLI is the only place that exits the JVM. */
public final class Main {
  static final int EXIT_RUNTIME_ERROR = 1;
  static final int EXIT_USAGE = 2;

  private Main() {}

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /**
   * The configured command line: a config or argument error exits 2, any other failure 1, each with one line on
   * stderr, not a stack trace.
   */
  public static CommandLine commandLine() {
    configureLogging();
    System.setProperty("java.awt.headless", "true");
    CommandLine cli = new CommandLine(new DeathStarCommand());
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      String message = e.getMessage() == null ? e.toString() : e.getMessage();
      commandLine.getErr().println("deathstar-demo: " + message);
      commandLine.getErr().flush();
      return e instanceof ConfigException ? EXIT_USAGE : EXIT_RUNTIME_ERROR;
    });
    return cli;
  }

  private static void configureLogging() {
    String level = System.getenv().getOrDefault("DEATHSTAR_LOG_LEVEL", "info");
    setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", level);
    setIfAbsent("org.slf4j.simpleLogger.logFile", "System.err");
    setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
    setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
    setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
  }

  private static void setIfAbsent(String key, String value) {
    if (System.getProperty(key) == null) {
      System.setProperty(key, value);
    }
  }
}
