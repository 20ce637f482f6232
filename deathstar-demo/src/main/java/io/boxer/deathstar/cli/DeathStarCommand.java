package io.boxer.deathstar.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root {@code deathstar-demo} command. */
@Command(
    name = "deathstar-demo",
    description = "A DeathStarBench-style social network (one JVM per service) and its open-loop load generator.",
    mixinStandardHelpOptions = true,
    versionProvider = DeathStarCommand.Version.class,
    subcommands = {ServiceCommand.class, SeedGraphCommand.class, LoadCommand.class, PlotCommand.class,
        VerifyCommand.class, DemoCommand.class, BurstCommand.class, StepLoadCommand.class,
        HelpCommand.class},
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
        "0:success",
        "1:runtime error (service unreachable, Redis down, verification mismatch)",
        "2:usage or configuration error"})
final class DeathStarCommand implements Runnable {
  @Spec CommandSpec spec;

  /** No subcommand: a usage error (exit 2), like any other. */
  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "Missing required subcommand");
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = DeathStarCommand.class.getPackage().getImplementationVersion();
      return new String[] {"deathstar-demo " + (v == null ? "dev" : v)};
    }
  }
}
