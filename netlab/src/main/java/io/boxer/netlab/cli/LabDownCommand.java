package io.boxer.netlab.cli;

import io.boxer.netlab.LabException;
import io.boxer.netlab.LabNames;
import io.boxer.netlab.Labs;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lab down RUNID | --all}: deletes a lab's namespaces (killing what runs in them) and metadata. */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = "Tear down one lab, or all labs on this machine with --all.",
    exitCodeListHeading = "%nExit Codes:%n",
    exitCodeList = {"0:torn down", "1:runtime error (no such lab, not root, a command failed)",
        "2:usage error"})
final class LabDownCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "0..1", paramLabel = "RUNID", description = "Run id of the lab, e.g. 3fa2.")
  String runId;

  @Option(names = "--all", description = "Tear down every lab on this machine, including other users' labs.")
  boolean all;

  @Override
  public Integer call() {
    if ((runId == null) == !all) {
      throw new ParameterException(spec.commandLine(), "Specify exactly one of RUNID or --all");
    }
    if (runId != null) {
      try {
        LabNames.checkRunId(runId);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    try {
      if (all) {
        List<String> destroyed = Labs.destroyAll();
        out.println(destroyed.isEmpty() ? "no labs" : "torn down: " + String.join(" ", destroyed));
      } else if (Labs.destroy(runId)) {
        out.println("torn down: " + runId);
      } else {
        spec.commandLine().getErr().println("no lab with run id " + runId + " (see `lab list`)");
        return 1;
      }
    } catch (LabException e) {
      spec.commandLine().getErr().println("lab down failed: " + e.getMessage());
      return 1;
    }
    out.flush();
    return 0;
  }
}
