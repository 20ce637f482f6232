package io.boxer.deathstar.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReportTest {
  @Test
  void table_hasARowPerDeploymentAndRate_withBothLatencies() {
    Map<String, List<RateResult>> byLabel = new LinkedHashMap<>();
    byLabel.put("vm", List.of(Results.of(100, 99.5, 20, 0)));
    byLabel.put("boxer-lambda", List.of(Results.of(100, 98.25, 30, 3)));

    String[] lines = Report.table(byLabel).split("\n");

    assertThat(lines).hasSize(4);
    assertThat(lines[0]).contains("offered", "achieved", "corrected latency (ms)", "uncorrected latency (ms)");
    assertThat(lines[1]).contains("deployment", "req/s", "p90", "errors", "dropped");
    assertThat(lines[2]).startsWith("vm ").contains("100.0", "99.5", "20.00", "10.00");
    assertThat(lines[3]).startsWith("boxer-lambda ").contains("98.3", "30.00").endsWith("3       0");
  }

  @Test
  void saturation_oneLinePerDeployment() {
    String text = Report.saturation(Map.of("vm", List.of(Results.of(100, 99.5, 20, 0))), 100);

    assertThat(text).isEqualTo("vm: saturation throughput 99.5 req/s (errors = 0, corrected p90 <= 100 ms)\n");
  }
}
