package io.boxer.deathstar.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.deathstar.load.LatencySummary;
import io.boxer.deathstar.load.RateResult;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoRunReportTest {

  private static RateResult rate(double offered, double achieved, double p90, long errors) {
    LatencySummary latency = new LatencySummary(100, p90 / 2, p90, p90 * 2, p90 * 3);
    return new RateResult(offered, achieved, 10, 100, 100 - errors, errors, 0, latency, latency, "");
  }

  private static DemoRun.Options options(List<Deployment> deployments) {
    return options(deployments, 1);
  }

  private static DemoRun.Options options(List<Deployment> deployments, int rounds) {
    return new DemoRun.Options(deployments, "mix", List.of(100.0, 200.0, 300.0), 8, 3, 100, rounds, Path.of("out"));
  }

  @Test
  void report_givesSaturationP90AtTheCommonRateAndRatiosToDeploymentOne() {
    Map<String, List<RateResult>> results = new LinkedHashMap<>();
    results.put("vms", List.of(rate(100, 100, 10, 0), rate(200, 200, 20, 0), rate(300, 280, 150, 0)));
    results.put("vms-boxer", List.of(rate(100, 100, 11, 0), rate(200, 196, 22, 0), rate(300, 250, 400, 0)));
    results.put("functions-boxer", List.of(rate(100, 100, 15, 0), rate(200, 150, 30, 3), rate(300, 120, 900, 9)));

    String report = new DemoRun(null, options(List.of(Deployment.values())), line -> {})
        .report(List.of(new RoundResult(1, results, Map.of())));

    // 200 req/s is not clean for functions-boxer (errors), so the common rate is 100
    assertThat(RoundResult.commonRate(results, 100)).isEqualTo(100);
    assertThat(report).contains("| vms | 200.0 | 10.00 | 1.00 | 1.00x |")
        .contains("| vms-boxer | 196.0 | 11.00 | 0.98 | 1.10x |")
        .contains("| functions-boxer | 100.0 | 15.00 | 0.50 | 1.50x |")
        .contains("at 100 req/s offered");
  }

  @Test
  void report_withoutTheBaseline_saysNotApplicable_andNamesFailures() {
    Map<String, List<RateResult>> results = Map.of("vms-boxer", List.of(rate(100, 100, 11, 0)));

    String report = new DemoRun(null, options(List.of(Deployment.VMS, Deployment.VMS_BOXER)), line -> {})
        .report(List.of(new RoundResult(1, results, Map.of("vms", "redis-server exited"))));

    assertThat(report).contains("| vms-boxer | 100.0 | 11.00 | n/a | n/a |")
        .contains("`vms`: all on VMs, no Boxer — FAILED: redis-server exited");
  }

  @Test
  void options_rejectNonsenseWithTheirNames() {
    assertThatThrownBy(() -> new DemoRun.Options(List.of(), "mix", List.of(1.0), 1, 0, 100, 1, Path.of("o")))
        .hasMessageContaining("deployments");
    assertThatThrownBy(() -> new DemoRun.Options(List.of(Deployment.VMS), "mix", List.of(-5.0), 1, 0, 100, 1,
        Path.of("o"))).hasMessageContaining("rates");
    assertThatThrownBy(() -> new DemoRun.Options(List.of(Deployment.VMS), "mix", List.of(5.0), 0, 0, 100, 1,
        Path.of("o"))).hasMessageContaining("duration");
    assertThatThrownBy(() -> new DemoRun.Options(List.of(Deployment.VMS), "mix", List.of(5.0), 1, 0, -1, 1,
        Path.of("o"))).hasMessageContaining("p90-bound-ms : -1.0");
    assertThatThrownBy(() -> new DemoRun.Options(List.of(Deployment.VMS), "mix", List.of(5.0), 1, 0, 100, 0,
        Path.of("o"))).hasMessageContaining("rounds : 0 (expected: 1..20)");
    assertThatThrownBy(() -> new DemoRun.Options(List.of(Deployment.VMS), "mix", List.of(5.0), 1, 0, 100, 21,
        Path.of("o"))).hasMessageContaining("rounds : 21");
  }

  @Test
  void order_rotatesByOneEachRound_soEveryDeploymentTakesEveryPlace() {
    List<Deployment> all = List.of(Deployment.values());
    assertThat(DemoRun.order(all, 1)).containsExactly(Deployment.VMS, Deployment.VMS_BOXER, Deployment.FUNCTIONS_BOXER);
    assertThat(DemoRun.order(all, 2)).containsExactly(Deployment.VMS_BOXER, Deployment.FUNCTIONS_BOXER, Deployment.VMS);
    assertThat(DemoRun.order(all, 3)).containsExactly(Deployment.FUNCTIONS_BOXER, Deployment.VMS, Deployment.VMS_BOXER);
    assertThat(DemoRun.order(all, 4)).isEqualTo(DemoRun.order(all, 1));
    assertThat(DemoRun.order(List.of(Deployment.VMS_BOXER), 2)).containsExactly(Deployment.VMS_BOXER);
  }

  @Test
  void report_overRounds_givesEachRatioAsTheMedianOfTheRoundsWithItsRange_andSaysWhetherTheyAgree() {
    // vms-boxer's throughput is below vms's in every round; its p90 is above in two rounds and below in one
    RoundResult one = round(1, 200, 196, 10, 11);
    RoundResult two = round(2, 200, 180, 10, 9);
    RoundResult three = round(3, 100, 98, 20, 30);

    String report = new DemoRun(null, options(List.of(Deployment.VMS, Deployment.VMS_BOXER), 3), line -> {})
        .report(List.of(one, two, three));

    assertThat(report)
        .contains("## Across 3 rounds: median (range)")
        .contains("| vms | 3 | 200.0 (100.0-200.0) | 10.00 (10.00-20.00) | 1.00 (1.00-1.00) | 1.00x (1.00x-1.00x) |")
        // throughput ratios 0.98, 0.90, 0.98; p90 ratios 1.10, 0.90, 1.50
        .contains("| vms-boxer | 3 | 180.0 (98.0-196.0) | 11.00 (9.00-30.00) | 0.98 (0.90-0.98) | 1.10x (0.90x-1.50x) |")
        .contains("`vms-boxer` throughput vs 1: below 1.00 in all 3 rounds (0.90-0.98)")
        .contains("`vms-boxer` p90 vs 1: the rounds' range 0.90-1.50 includes 1.00")
        .contains("## Round 2 (order: vms-boxer, vms)")
        .contains("| vms-boxer | 180.0 | 9.00 | 0.90 | 0.90x |");
  }

  @Test
  void report_overRounds_leavesAFailedRoundOutOfItsDeploymentsFigures() {
    RoundResult one = round(1, 200, 196, 10, 11);
    RoundResult failed = new RoundResult(2, Map.of("vms", List.of(rate(100, 100, 10, 0), rate(200, 200, 10, 0))),
        Map.of("vms-boxer", "lab did not start"));

    String report = new DemoRun(null, options(List.of(Deployment.VMS, Deployment.VMS_BOXER), 2), line -> {})
        .report(List.of(one, failed));

    assertThat(report).contains("| vms-boxer | 1 | 196.0 | 11.00 | 0.98 | 1.10x |")
        .contains("`vms-boxer`: all on VMs under Boxer — FAILED in round 2 (lab did not start)")
        .doesNotContain("`vms-boxer` throughput vs 1:");
  }

  @Test
  void report_overRounds_withARoundWhoseEveryDeploymentFailed_namesItsFailures_andKeepsTheOtherRounds() {
    RoundResult one = round(1, 200, 196, 10, 11);
    RoundResult allFailed = new RoundResult(2, Map.of(),
        Map.of("vms", "verification failed (exit 1)", "vms-boxer", "verification failed (exit 1)"));

    String report = new DemoRun(null, options(List.of(Deployment.VMS, Deployment.VMS_BOXER), 2), line -> {})
        .report(List.of(one, allFailed));

    assertThat(report).contains("| vms-boxer | 1 | 196.0 | 11.00 | 0.98 | 1.10x |")
        .contains("`vms`: all on VMs, no Boxer — FAILED in round 2 (verification failed (exit 1))")
        .contains("`vms-boxer`: all on VMs under Boxer — FAILED in round 2 (verification failed (exit 1))");
  }

  /** vms and vms-boxer at 50 and 200 req/s offered: saturation = what each achieved at 200; p90 the same at both. */
  private static RoundResult round(int round, double vmsSaturation, double boxerSaturation, double vmsP90,
      double boxerP90) {
    Map<String, List<RateResult>> results = new LinkedHashMap<>();
    results.put("vms", List.of(rate(50, 50, vmsP90, 0), rate(200, vmsSaturation, vmsP90, 0)));
    results.put("vms-boxer", List.of(rate(50, 50, boxerP90, 0), rate(200, boxerSaturation, boxerP90, 0)));
    return new RoundResult(round, results, Map.of());
  }
}
