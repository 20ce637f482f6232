package io.boxer.launcher;

import io.boxer.netlab.cli.LabCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;

/** The root {@code boxer} command. */
@Command(
    name = "boxer",
    description = "Direct TCP between serverless functions behind NATs, transparent to JVM apps.",
    mixinStandardHelpOptions = true,
    versionProvider = BoxerCommand.Version.class,
    subcommands = {RunCommand.class, SeedCommand.class, StatusCommand.class, LabCommand.class, HelpCommand.class},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
        "0:success (run: the command's own exit code)",
        "1:runtime error (seed unreachable, wrong token or node rejected, barrier timeout, node removed and unable to rejoin;"
            + " status: the node or seed cannot be reached or refuses)",
        "2:usage or configuration error",
        "128+N:run: signal N stopped boxer before the command ran (129 HUP, 130 INT, 131 QUIT, 143 TERM)"})
final class BoxerCommand implements Runnable {
  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  /** No subcommand: a usage error (exit 2), like any other. */
  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  static final class Version implements picocli.CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = BoxerCommand.class.getPackage().getImplementationVersion();
      return new String[] {"boxer " + (v == null ? "dev" : v)};
    }
  }
}
