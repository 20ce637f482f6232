package io.boxer.deathstar.cli;

import io.boxer.deathstar.app.Role;
import io.boxer.deathstar.load.Workload;
import io.boxer.deathstar.run.BurstRun;
import io.boxer.deathstar.run.DemoSetup;
import io.boxer.deathstar.run.ScaleOut;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code burst}: the burst scenario, new logic-tier instances as functions versus VMs (paper Figure 8, right). */
@Command(
    name = "burst",
    description = {
        "Runs the burst scenario in a fresh NAT lab per variant (root: network namespaces): the social network "
            + "with its logic tier in functions under Boxer, one logic role given a modeled capacity, steady "
            + "open-loop load that steps up at --burst-at while --new-instances instances of that role are added, "
            + "as functions (at once) or as VMs (after --vm-boot seconds, modeled).",
        "Reports when a new instance first served a request and when throughput was steady again; writes "
            + "burst-report.md, burst-throughput.png and per-variant timelines into --out."},
    mixinStandardHelpOptions = true,
    showDefaultValues = true)
final class BurstCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--variants", paramLabel = "V", split = ",", defaultValue = "functions,vms",
      description = "How new instances come, in order: functions, vms.")
  List<String> variants;

  @Option(names = "--role", paramLabel = "ROLE", defaultValue = "user-timeline", converter = RoleConverter.class,
      description = "The logic role scaled out (one the frontend calls).")
  Role role;

  @Option(names = "--workload", paramLabel = "NAME", defaultValue = "read-user-timeline",
      converter = WorkloadConverter.class, description = "The load's workload; it must reach --role.")
  Workload workload;

  @Option(names = "--rate", paramLabel = "RPS", defaultValue = "20", description = "Offered rate before the burst.")
  double rate;

  @Option(names = "--burst-rate", paramLabel = "RPS", defaultValue = "60", description = "Offered rate after it.")
  double burstRate;

  @Option(names = "--burst-at", paramLabel = "SECONDS", description = "When the burst comes. Default: 30 (--quick: 10).")
  Integer burstAt;

  @Option(names = "--duration", paramLabel = "SECONDS", description = "The whole load. Default: 150 (--quick: 60).")
  Integer duration;

  @Option(names = "--new-instances", paramLabel = "N", defaultValue = "3", description = "Instances added.")
  int newInstances;

  @Option(names = "--vm-boot", paramLabel = "SECONDS",
      description = "Modeled VM boot before a new VM's instance starts. Default: 40 (--quick: 15).")
  Integer vmBoot;

  @Option(names = "--concurrency", paramLabel = "N", defaultValue = "1",
      description = "Modeled capacity of each instance of --role: calls served at once.")
  int concurrency;

  @Option(names = "--service-ms", paramLabel = "MS", defaultValue = "40",
      description = "Modeled capacity: time each call holds its slot.")
  int serviceMs;

  @Option(names = "--quick", description = "Shorter defaults: burst at 10 s, 60 s of load, 15 s VM boot.")
  boolean quick;

  @Option(names = "--out", paramLabel = "DIR",
      description = "Results folder. Default: results/burst-<time> in the Boxer checkout.")
  Path out;

  @Option(names = "--java", paramLabel = "PATH", description = "The java used in the lab. Default: this JVM's.")
  Path java;

  @Override
  public Integer call() throws Exception {
    List<ScaleOut> chosen = new ArrayList<>();
    for (String v : new LinkedHashSet<>(variants)) {
      try {
        chosen.add(ScaleOut.parse(v.strip()));
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--" + e.getMessage().replace("scale-out", "variants"));
      }
    }
    DemoSetup setup = DemoSetup.ofThisCheckout(java);
    Path dir = out != null ? out.toAbsolutePath() : setup.home().resolve("results/burst-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    BurstRun.Options options;
    try {
      options = new BurstRun.Options(chosen, role, workload.cliName(), rate, burstRate,
          Duration.ofSeconds(orDefault(burstAt, 30, 10)), Duration.ofSeconds(orDefault(duration, 150, 60)),
          newInstances, Duration.ofSeconds(orDefault(vmBoot, 40, 15)), concurrency, Duration.ofMillis(serviceMs),
          dir);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--" + e.getMessage());
    }
    PrintWriter err = spec.commandLine().getErr();
    long start = System.nanoTime();
    String report = new BurstRun(setup, options, line -> {
      err.printf("[%4ds] %s%n", (System.nanoTime() - start) / 1_000_000_000L, line);
      err.flush();
    }).run();
    PrintWriter stdout = spec.commandLine().getOut();
    stdout.println();
    stdout.print(report);
    stdout.println("\nreport, timelines and plot: " + dir);
    stdout.flush();
    return 0;
  }

  private int orDefault(Integer given, int normal, int quickValue) {
    return given != null ? given : quick ? quickValue : normal;
  }
}
