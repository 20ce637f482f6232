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
    return new DemoRun.Options(deployments, "mix", List.of(100.0, 200.0, 300.0), 8, 3, 100, Path.of("out"));
  }

  @Test
  void report_givesSaturationP90AtTheCommonRateAndRatiosToDeploymentOne() {
    Map<String, List<RateResult>> results = new LinkedHashMap<>();
    results.put("vms", List.of(rate(100, 100, 10, 0), rate(200, 200, 20, 0), rate(300, 280, 150, 0)));
    results.put("vms-boxer", List.of(rate(100, 100, 11, 0), rate(200, 196, 22, 0), rate(300, 250, 400, 0)));
    results.put("functions-boxer", List.of(rate(100, 100, 15, 0), rate(200, 150, 30, 3), rate(300, 120, 900, 9)));

    String report = new DemoRun(null, options(List.of(Deployment.values())), line -> {}).report(results, Map.of());

    // 200 req/s is not clean for functions-boxer (errors), so the common rate is 100
    assertThat(DemoRun.commonRate(results, 100)).isEqualTo(100);
    assertThat(report).contains("| vms | 200.0 | 10.00 | 1.00 | 1.00x |")
        .contains("| vms-boxer | 196.0 | 11.00 | 0.98 | 1.10x |")
        .contains("| functions-boxer | 100.0 | 15.00 | 0.50 | 1.50x |")
        .contains("at 100 req/s offered");
  }

  @Test
  void report_withoutTheBaseline_saysNotApplicable_andNamesFailures() {
    Map<String, List<RateResult>> results = Map.of("vms-boxer", List.of(rate(100, 100, 11, 0)));

    String report = new DemoRun(null, options(List.of(Deployment.VMS, Deployment.VMS_BOXER)), line -> {})
        .report(results, Map.of("vms", "redis-server exited"));

    assertThat(report).contains("| vms-boxer | 100.0 | 11.00 | n/a | n/a |")
        .contains("`vms`: all on VMs, no Boxer — FAILED: redis-server exited");
  }

  @Test
  void options_rejectNonsenseWithTheirNames() {
    assertThatThrownBy(() -> new DemoRun.Options(List.of(), "mix", List.of(1.0), 1, 0, 100, Path.of("o")))
        .hasMessageContaining("deployments");
    assertThatThrownBy(() -> new DemoRun.Options(List.of(Deployment.VMS), "mix", List.of(-5.0), 1, 0, 100,
        Path.of("o"))).hasMessageContaining("rates");
    assertThatThrownBy(() -> new DemoRun.Options(List.of(Deployment.VMS), "mix", List.of(5.0), 0, 0, 100,
        Path.of("o"))).hasMessageContaining("duration");
    assertThatThrownBy(() -> new DemoRun.Options(List.of(Deployment.VMS), "mix", List.of(5.0), 1, 0, -1,
        Path.of("o"))).hasMessageContaining("p90-bound-ms : -1.0");
  }
}
