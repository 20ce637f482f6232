package io.boxer.netlab.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lab}: manage NAT labs (network namespaces + iptables NAT) from the command line. Register it as a
 * subcommand of the {@code boxer} root, or run it standalone with
 * {@code new CommandLine(new LabCommand()).execute(args)}.
 *
 * <p>Exit codes of every subcommand: 0 ok, 1 runtime error (a command failed, not root, no such lab),
 * 2 usage or config error; {@code exec} returns the executed command's exit code.
 */
@Command(
    name = "lab",
    mixinStandardHelpOptions = true,
    description = "Build, inspect and tear down NAT labs: hosts in network namespaces behind iptables NATs.",
    subcommands = {
      LabUpCommand.class,
      LabDownCommand.class,
      LabListCommand.class,
      LabExecCommand.class,
      LabAllowCommand.class,
      HelpCommand.class
    },
    exitCodeListHeading = "%nExit Codes:%n",
    exitCodeList = {"0:ok", "1:runtime error", "2:usage or config error"})
public final class LabCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  /** Without a subcommand there is nothing to do: a usage error. */
  @Override
  public Integer call() {
    throw new ParameterException(spec.commandLine(), "Missing subcommand: up, down, list or exec");
  }
}
