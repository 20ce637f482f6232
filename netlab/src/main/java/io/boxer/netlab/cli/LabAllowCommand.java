package io.boxer.netlab.cli;

import io.boxer.netlab.Lab;
import io.boxer.netlab.LabException;
import io.boxer.netlab.LabNames;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code lab allow RUNID VM PORT...}: opens inbound TCP ports in a VM host's security group, as an AWS user adds
 * inbound rules (a public API, a database that clients reach without Boxer). The lab is attached, never closed.
 */
@Command(
    name = "allow",
    mixinStandardHelpOptions = true,
    description = "Open inbound TCP ports in a VM host's security group (VMs drop unsolicited inbound by default).",
    exitCodeListHeading = "%nExit Codes:%n",
    exitCodeList = {"0:the ports are open", "1:runtime error (no such lab, not root)",
        "2:usage error (not a VM host, bad port)"})
final class LabAllowCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "RUNID", description = "Run id of the lab, e.g. 3fa2.")
  String runId;

  @Parameters(index = "1", paramLabel = "VM", description = "A VM host: vmI.")
  String vm;

  @Parameters(index = "2..*", arity = "1..*", paramLabel = "PORT", description = "TCP ports, 1..65535.")
  List<Integer> ports;

  @Override
  public Integer call() {
    Lab lab;
    try {
      LabNames.checkRunId(runId);
      for (int port : ports) {
        if (port < 1 || port > 65535) {
          throw new IllegalArgumentException("port : " + port + " (expected: 1..65535)");
        }
      }
      lab = Lab.attach(runId);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    } catch (LabException e) {
      spec.commandLine().getErr().println("lab allow failed: " + e.getMessage());
      return 1;
    }
    try {
      for (int port : ports) {
        lab.allowInboundTcp(vm, port);
      }
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    } catch (LabException e) {
      spec.commandLine().getErr().println("lab allow failed: " + e.getMessage());
      return 1;
    }
    spec.commandLine().getOut().println("inbound TCP " + ports + " open on " + vm);
    return 0;
  }
}
