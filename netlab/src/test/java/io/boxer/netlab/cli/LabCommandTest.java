package io.boxer.netlab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.netlab.NatProfile;
import io.boxer.netlab.VmFirewall;
import io.boxer.netlab.WanSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Parsing and usage errors only: everything here fails before the system is touched. */
class LabCommandTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cl = new CommandLine(new LabCommand());
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    return cl.execute(args);
  }

  @Test
  void noSubcommand_isUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("Missing subcommand");
  }

  @Test
  void help_listsSubcommandsAndExitCodes() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).contains("up", "down", "list", "exec", "allow", "Exit Codes:", "usage or config error");
  }

  @Test
  void allow_portOutOfRange_isUsageErrorBeforeTouchingAnyLab() {
    assertThat(run("allow", "3fa2", "vm1", "70000")).isEqualTo(2);
    assertThat(err.toString()).contains("port : 70000 (expected: 1..65535)");
  }

  @Test
  void up_defaults() {
    LabUpCommand up = new LabUpCommand();
    new CommandLine(up).parseArgs();
    assertThat(up.functions).isEqualTo(2);
    assertThat(up.vms).isEqualTo(1);
    assertThat(up.profile).isEqualTo(NatProfile.LAMBDA);
    assertThat(up.loss).isZero();
    assertThat(up.natEstablishedTimeout).isZero();
    assertThat(up.vmFirewall).isEqualTo(VmFirewall.DROP);
    assertThat(up.functionsPerNat).isEqualTo(1);
    assertThat(up.rtt).isZero();
    assertThat(up.jitter).isZero();
    assertThat(up.rateMbit).isZero();
  }

  @Test
  void up_wan_isParsed() {
    LabUpCommand up = new LabUpCommand();
    new CommandLine(up).parseArgs("--rtt", "0.5ms", "--jitter", "50us", "--rate-mbit", "620");
    assertThat(up.rtt).isEqualTo(Duration.ofNanos(500_000));
    assertThat(up.jitter).isEqualTo(Duration.ofNanos(50_000));
    assertThat(up.rateMbit).isEqualTo(620);
    assertThat(LabUpCommand.describeWan(new WanSpec(up.rtt, up.jitter, up.rateMbit)))
        .isEqualTo(", WAN rtt 500us jitter 50us, functions capped at 620 Mbit/s");
    assertThat(LabUpCommand.describeWan(WanSpec.NONE)).isEmpty();
  }

  @Test
  void up_rttWithoutANumber_isUsageError() {
    assertThat(run("up", "--rtt", "fast")).isEqualTo(2);
    assertThat(err.toString()).contains("duration : fast (expected: a number with a unit us, ms or s");
  }

  @Test
  void up_jitterAboveHalfTheRtt_isConfigErrorBeforeAnythingIsBuilt() {
    assertThat(run("up", "--rtt", "1ms", "--jitter", "0.6ms")).isEqualTo(2);
    assertThat(err.toString()).contains("jitter : 600us (expected: 0..500us");
  }

  @Test
  void up_rateAboveMax_isConfigError() {
    assertThat(run("up", "--rate-mbit", "100001")).isEqualTo(2);
    assertThat(err.toString()).contains("rateMbit : 100001 (expected: 0 for none, or 1..100000)");
  }

  @Test
  void up_functionsPerNat_isParsed() {
    LabUpCommand up = new LabUpCommand();
    new CommandLine(up).parseArgs("--functions", "3", "--functions-per-nat", "2");
    assertThat(up.functionsPerNat).isEqualTo(2);
  }

  @Test
  void up_functionsPerNatZero_isConfigErrorBeforeAnythingIsBuilt() {
    assertThat(run("up", "--functions-per-nat", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("functionsPerNat : 0 (expected: 1..50)");
  }

  @Test
  void up_functionsPerNatAboveMax_isConfigError() {
    assertThat(run("up", "--functions-per-nat", "51")).isEqualTo(2);
    assertThat(err.toString()).contains("functionsPerNat : 51 (expected: 1..50)");
  }

  @Test
  void up_vmFirewall_isParsedCaseInsensitively() {
    LabUpCommand up = new LabUpCommand();
    new CommandLine(up).parseArgs("--vm-firewall", "NONE");
    assertThat(up.vmFirewall).isEqualTo(VmFirewall.NONE);
  }

  @Test
  void up_vmFirewallUnknown_isUsageError() {
    assertThat(run("up", "--vm-firewall", "reject")).isEqualTo(2);
    assertThat(err.toString()).contains("vm-firewall : reject (expected: one of drop, none)");
  }

  @Test
  void up_natEstablishedTimeout_isParsed() {
    LabUpCommand up = new LabUpCommand();
    new CommandLine(up).parseArgs("--nat-established-timeout", "60");
    assertThat(up.natEstablishedTimeout).isEqualTo(60);
  }

  @Test
  void up_natEstablishedTimeoutOutOfRange_isConfigError() {
    assertThat(run("up", "--nat-established-timeout", "-5")).isEqualTo(2);
    assertThat(err.toString()).contains("natEstablishedTimeoutSeconds : -5 (expected: 0 for the kernel default");
  }

  @Test
  void up_profileIsCaseInsensitive() {
    LabUpCommand up = new LabUpCommand();
    new CommandLine(up).parseArgs("--profile", "SyMmEtRiC", "--functions", "5", "--vms", "0", "--loss", "2.5");
    assertThat(up.profile).isEqualTo(NatProfile.SYMMETRIC);
    assertThat(up.functions).isEqualTo(5);
    assertThat(up.vms).isZero();
    assertThat(up.loss).isEqualTo(2.5);
  }

  @Test
  void up_unknownProfile_isUsageErrorListingProfiles() {
    assertThat(run("up", "--profile", "cone")).isEqualTo(2);
    assertThat(err.toString()).contains("profile : cone (expected: one of lambda, strict, symmetric)");
  }

  @Test
  void up_functionsOutOfRange_isConfigErrorBeforeAnythingIsBuilt() {
    assertThat(run("up", "--functions", "-1")).isEqualTo(2);
    assertThat(err.toString()).contains("functions : -1 (expected: 0..50)");
  }

  @Test
  void up_lossOutOfRange_isConfigError() {
    assertThat(run("up", "--loss", "101")).isEqualTo(2);
    assertThat(err.toString()).contains("lossPercent : 101.0 (expected: 0..100)");
  }

  @Test
  void up_nonNumericVms_isUsageError() {
    assertThat(run("up", "--vms", "many")).isEqualTo(2);
  }

  @Test
  void down_needsExactlyOneOfRunIdOrAll() {
    assertThat(run("down")).isEqualTo(2);
    assertThat(err.toString()).contains("Specify exactly one of RUNID or --all");
    assertThat(run("down", "3fa2", "--all")).isEqualTo(2);
  }

  @Test
  void down_malformedRunId_isUsageError() {
    assertThat(run("down", "XYZ")).isEqualTo(2);
    assertThat(err.toString()).contains("runId : XYZ");
  }

  @Test
  void exec_withoutCommand_isUsageError() {
    assertThat(run("exec", "3fa2", "fn1")).isEqualTo(2);
    assertThat(err.toString()).contains("CMD");
  }

  @Test
  void exec_parsesCommandAfterDoubleDash() {
    LabExecCommand exec = new LabExecCommand();
    new CommandLine(exec).parseArgs("3fa2", "fn1", "--", "ss", "-tn", "--help");
    assertThat(exec.runId).isEqualTo("3fa2");
    assertThat(exec.host).isEqualTo("fn1");
    assertThat(exec.command).containsExactly("ss", "-tn", "--help");
  }

  @Test
  void exec_malformedRunId_isUsageError() {
    assertThat(run("exec", "nope", "fn1", "--", "true")).isEqualTo(2);
    assertThat(err.toString()).contains("runId : nope");
  }

  @Test
  void formatLoss_dropsTrailingZero() {
    assertThat(LabListCommand.formatLoss(0)).isEqualTo("0");
    assertThat(LabListCommand.formatLoss(5)).isEqualTo("5");
    assertThat(LabListCommand.formatLoss(0.5)).isEqualTo("0.5");
  }
}
