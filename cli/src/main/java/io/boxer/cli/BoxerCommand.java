package io.boxer.cli;

import io.boxer.invoker.InvokeCommand;
import io.boxer.launcher.LogSetup;
import io.boxer.launcher.RunCommand;
import io.boxer.launcher.SeedCommand;
import io.boxer.launcher.StatusCommand;
import io.boxer.netlab.cli.LabCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.HelpCommand;

/** The root {@code boxer} command: the product's commands, and the lab (our stand-in for AWS) beside them. */
@Command(
    name = "boxer",
    description = "Direct TCP between serverless functions behind NATs, transparent to JVM apps.",
    mixinStandardHelpOptions = true,
    versionProvider = BoxerCommand.Version.class,
    subcommands = {RunCommand.class, SeedCommand.class, InvokeCommand.class, StatusCommand.class, LabCommand.class,
        HelpCommand.class},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
        "0:success (run: the command's own exit code)",
        "1:runtime error (seed unreachable, wrong token or node rejected, barrier timeout, node removed and unable to rejoin;"
            + " invoke: a function failed or its command exited non-zero; status: the node or seed cannot be reached or refuses)",
        "2:usage or configuration error",
        "128+N:run: signal N stopped boxer before the command ran (129 HUP, 130 INT, 131 QUIT, 143 TERM)"})
final class BoxerCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;
  private String logLevel; // null: the environment's, else the default (LogSetup)
  private String logFormat;

  @Option(names = "--log-level", paramLabel = "LEVEL", scope = ScopeType.INHERIT,
      description = "error, warn, info (default), debug or trace (env BOXER_LOG_LEVEL). Logs go to stderr.")
  void logLevel(String level) {
    logLevel = level;
    useLogging();
  }

  @Option(names = "--log-format", paramLabel = "FORMAT", scope = ScopeType.INHERIT,
      description = "text (default) or json: one JSON object per line, for log shippers (env BOXER_LOG_FORMAT).")
  void logFormat(String format) {
    logFormat = format;
    useLogging();
  }

  private void useLogging() {
    try {
      LogSetup.use(logLevel, logFormat);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  /** No subcommand: a usage error (exit 2), like any other. */
  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  static final class Version implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = BoxerCommand.class.getPackage().getImplementationVersion();
      return new String[] {"boxer " + (v == null ? "dev" : v)};
    }
  }
}
