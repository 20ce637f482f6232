package io.boxer.netlab.cli;

import io.boxer.netlab.Lab;
import io.boxer.netlab.LabException;
import io.boxer.netlab.LabHost;
import io.boxer.netlab.LabNames;
import io.boxer.netlab.LabSpec;
import io.boxer.netlab.NatProfile;
import io.boxer.netlab.VmFirewall;
import io.boxer.netlab.WanSpec;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code lab up}: builds a lab that outlives the command (no teardown at exit once it is up) and prints its
 * run id and hosts. Validation errors exit 2 before anything touches the system.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    description = "Build a lab; it stays up until `lab down`.",
    exitCodeListHeading = "%nExit Codes:%n",
    exitCodeList = {"0:lab is up", "1:runtime error (not root, a command failed)", "2:usage or config error"})
final class LabUpCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--functions", paramLabel = "K", defaultValue = "2",
      description = "Function hosts fn1..fnK, behind NAT routers as --functions-per-nat says (0..50).")
  int functions;

  @Option(names = "--functions-per-nat", paramLabel = "N", defaultValue = "1",
      description = "Function hosts per NAT router (1..50): fn1..fnN share nat1 and its external address,"
          + " fnN+1..fn2N share nat2, and so on; 1 gives every function a router of its own.")
  int functionsPerNat;

  @Option(names = "--vms", paramLabel = "V", defaultValue = "1",
      description = "VM hosts vm1..vmV on the public segment (0..50).")
  int vms;

  @Option(names = "--profile", paramLabel = "PROFILE", defaultValue = "lambda",
      converter = ProfileConverter.class, completionCandidates = ProfileCandidates.class,
      description = "NAT profile, case-insensitive: ${COMPLETION-CANDIDATES}.")
  NatProfile profile;

  @Option(names = "--loss", paramLabel = "PCT", defaultValue = "0",
      description = "Random loss in percent on every NAT's WAN link, both directions (0..100).")
  double loss;

  @Option(names = "--nat-established-timeout", paramLabel = "SECONDS", defaultValue = "0",
      description = "How long every NAT keeps an idle established TCP connection's mapping (1..432000);"
          + " 0 keeps the kernel's 432000 s.")
  int natEstablishedTimeout;

  @Option(names = "--vm-firewall", paramLabel = "MODE", defaultValue = "drop",
      converter = VmFirewallConverter.class,
      description = "What VM hosts do with unsolicited inbound packets: drop (a default security group, as on AWS)"
          + " or none (no firewall: a SYN to a closed port gets a RST, as from a bare Linux host).")
  VmFirewall vmFirewall;

  @Option(names = "--rtt", paramLabel = "DURATION", defaultValue = "0", converter = DurationConverter.class,
      description = "Round trip added between any two hosts across the public segment (function, VM, seed), e.g."
          + " 0.5ms or 500us (0 or 2us..200ms): half of it on each packet's way out to the segment, by a userspace"
          + " delayer (docs/wan.md). 0 adds none and starts no delayer.")
  Duration rtt;

  @Option(names = "--jitter", paramLabel = "DURATION", defaultValue = "0", converter = DurationConverter.class,
      description = "Spread of each one-way delay: uniform in rtt/2 +- jitter (0..rtt/2); packets are never"
          + " reordered.")
  Duration jitter;

  @Option(names = "--rate-mbit", paramLabel = "MBIT", defaultValue = "0",
      description = "Cap of every function's link in Mbit/s, each direction, with tbf (0 for none, or 1..100000;"
          + " AWS Lambda measures about 620).")
  int rateMbit;

  @Option(names = "--json", description = "Print the lab (run id, spec, every host's namespace and addresses) as one"
      + " JSON document instead of a table, for scripts.")
  boolean json;

  @Override
  public Integer call() {
    LabSpec labSpec;
    try {
      labSpec = new LabSpec(functions, vms, profile, loss, natEstablishedTimeout, vmFirewall, functionsPerNat,
          new WanSpec(rtt, jitter, rateMbit));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    PrintWriter out = spec.commandLine().getOut();
    Lab lab;
    try {
      lab = Lab.createDetached(labSpec);
    } catch (LabException e) {
      spec.commandLine().getErr().println("lab up failed: " + e.getMessage());
      return 1;
    }
    if (json) {
      out.println(LabJson.render(lab, labSpec));
      out.flush();
      return 0;
    }
    out.printf("run id: %s (profile %s, loss %s%%%s, VM firewall %s%s%s)%n", lab.runId(), labSpec.profile().cliName(),
        LabListCommand.formatLoss(labSpec.lossPercent()),
        labSpec.natEstablishedTimeoutSeconds() == 0 ? ""
            : ", NAT established timeout " + labSpec.natEstablishedTimeoutSeconds() + " s",
        labSpec.vmFirewall().cliName(),
        labSpec.functionsPerNat() == 1 ? "" : ", " + labSpec.functionsPerNat() + " functions per NAT",
        describeWan(labSpec.wan()));
    printHosts(out, lab);
    out.printf("run a command: lab exec %s fn1 -- CMD...   tear down: lab down %s%n",
        lab.runId(), lab.runId());
    out.flush();
    return 0;
  }

  /** {@code ", WAN rtt 0.5ms jitter 50us, functions capped at 620 Mbit/s"}, or nothing for {@link WanSpec#NONE}. */
  static String describeWan(WanSpec wan) {
    StringBuilder b = new StringBuilder();
    if (wan.delays()) {
      b.append(", WAN rtt ").append(WanSpec.format(wan.rtt()));
      if (!wan.jitter().isZero()) {
        b.append(" jitter ").append(WanSpec.format(wan.jitter()));
      }
    }
    if (wan.rateMbit() > 0) {
      b.append(", functions capped at ").append(wan.rateMbit()).append(" Mbit/s");
    }
    return b.toString();
  }

  static void printHosts(PrintWriter out, Lab lab) {
    String format = "%-6s %-18s %-15s %-15s %s%n";
    out.printf(format, "HOST", "NAMESPACE", "ADDRESS", "EXTERNAL", "NAT");
    for (LabHost h : lab.hosts()) {
      // the router's member name (nat1), shared by every function behind it
      String nat = h.natNamespace().flatMap(LabNames::parse).map(LabNames.Parsed::member).orElse("-");
      out.printf(format, h.name(), h.namespace(), h.address().getHostAddress(),
          h.externalAddress().getHostAddress(), nat);
    }
  }

  /** Case-insensitive profile names, with the accepted names in the error. */
  static final class ProfileConverter implements ITypeConverter<NatProfile> {
    @Override
    public NatProfile convert(String value) {
      try {
        return NatProfile.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** Durations such as {@code 0.5ms}, {@code 500us} or {@code 0}, with the accepted forms in the error. */
  static final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return WanSpec.parseDuration(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** Case-insensitive firewall modes, with the accepted names in the error. */
  static final class VmFirewallConverter implements ITypeConverter<VmFirewall> {
    @Override
    public VmFirewall convert(String value) {
      try {
        return VmFirewall.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  /** Profile names for help and shell completion. */
  static final class ProfileCandidates extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    ProfileCandidates() {
      super(Arrays.stream(NatProfile.values()).map(NatProfile::cliName).toList());
    }
  }
}
