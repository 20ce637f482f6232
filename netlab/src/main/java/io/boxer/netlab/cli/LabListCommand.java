package io.boxer.netlab.cli;

import io.boxer.netlab.LabException;
import io.boxer.netlab.LabInfo;
import io.boxer.netlab.Labs;
import io.boxer.netlab.WanSpec;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code lab list}: one line per running lab; {@code ?} where the metadata file is missing. */
@Command(
    name = "list",
    mixinStandardHelpOptions = true,
    description = "List running labs.",
    exitCodeListHeading = "%nExit Codes:%n",
    exitCodeList = {"0:ok", "1:runtime error"})
final class LabListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<LabInfo> labs;
    try {
      labs = Labs.list();
    } catch (LabException e) {
      spec.commandLine().getErr().println("lab list failed: " + e.getMessage());
      return 1;
    }
    if (labs.isEmpty()) {
      out.println("no labs");
      out.flush();
      return 0;
    }
    String format = "%-6s %-9s %-9s %-4s %-6s %-8s %s%n";
    out.printf(format, "RUNID", "PROFILE", "FUNCTIONS", "VMS", "LOSS%", "WAN RTT", "NAMESPACES");
    for (LabInfo lab : labs) {
      out.printf(format, lab.runId(),
          lab.spec().map(s -> s.profile().cliName()).orElse("?"),
          lab.spec().map(s -> Integer.toString(s.functions())).orElse("?"),
          lab.spec().map(s -> Integer.toString(s.vms())).orElse("?"),
          lab.spec().map(s -> formatLoss(s.lossPercent())).orElse("?"),
          lab.spec().map(s -> WanSpec.format(s.wan().rtt())).orElse("?"),
          lab.namespaces().size());
    }
    out.flush();
    return 0;
  }

  /** {@code 5} for 5.0, {@code 0.5} for 0.5. */
  static String formatLoss(double percent) {
    return percent == Math.rint(percent)
        ? Long.toString((long) percent)
        : String.format(Locale.ROOT, "%s", percent);
  }
}
