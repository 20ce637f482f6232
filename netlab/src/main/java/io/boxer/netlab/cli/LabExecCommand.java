package io.boxer.netlab.cli;

import io.boxer.netlab.Lab;
import io.boxer.netlab.LabException;
import io.boxer.netlab.LabHost;
import io.boxer.netlab.LabNames;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code lab exec RUNID HOST -- CMD...}: runs CMD inside the host's namespace with this process's stdio and
 * returns its exit code. The lab is attached, never closed: exec does not tear anything down.
 */
@Command(
    name = "exec",
    mixinStandardHelpOptions = true,
    description = "Run a command inside a lab host's namespace; put `--` before the command.",
    exitCodeListHeading = "%nExit Codes:%n",
    exitCodeList = {"n:the command's exit code", "1:runtime error (no such lab, not root)",
        "2:usage error (unknown host)"})
final class LabExecCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUNID", description = "Run id of the lab, e.g. 3fa2.")
  String runId;

  @Parameters(index = "1", paramLabel = "HOST", description = "Host name: seed, vmI or fnK.")
  String host;

  @Parameters(index = "2..*", arity = "1..*", paramLabel = "CMD", description = "The command and its arguments.")
  List<String> command;

  @Override
  public Integer call() {
    try {
      LabNames.checkRunId(runId);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    LabHost target;
    try {
      target = Lab.attach(runId).host(host);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    } catch (LabException e) {
      spec.commandLine().getErr().println("lab exec failed: " + e.getMessage());
      return 1;
    }
    Process p;
    try {
      p = target.processBuilder(command.toArray(String[]::new)).inheritIO().start();
    } catch (IOException e) {
      spec.commandLine().getErr().println("lab exec failed: cannot start "
          + String.join(" ", target.command(command)) + ": " + e.getMessage());
      return 1;
    }
    try {
      return p.waitFor();
    } catch (InterruptedException e) {
      p.destroy();
      Thread.currentThread().interrupt();
      return 1;
    }
  }
}
