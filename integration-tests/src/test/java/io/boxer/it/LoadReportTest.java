package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.examples.load.LoadReport;
import io.boxer.examples.load.Percentiles;
import io.boxer.examples.load.ProcCounts;
import org.junit.jupiter.api.Test;

/** The result line of {@code ConnectLoad}, which the lab tests read; no lab needed. */
class LoadReportTest {
  private final LoadReport report = new LoadReport(new LoadReport.Outcomes(995, 1, 2, 1, 1), 12_345,
      new Percentiles(800, 1_000_000, 3_000_000, 7_000_000), new Percentiles(900, 1_100_000, 3_100_000, 9_000_000),
      new ProcCounts(14, 21), new ProcCounts(15, 22));

  @Test
  void line_readsBackAsTheSameReport_evenAmongOtherOutput() {
    String output = "15:39:51 [main] INFO BoxerNode - Joined the cluster.\n" + report.line() + "\nboxer: exited";

    assertThat(LoadReport.parse(output)).isEqualTo(report);
    assertThat(report.outcomes().planned()).isEqualTo(1000);
  }

  @Test
  void parse_withoutResultLine_saysWhatIsMissing() {
    assertThatThrownBy(() -> LoadReport.parse("connectload ready"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("connectload result");
  }

  @Test
  void parse_missingField_namesIt() {
    assertThatThrownBy(() -> LoadReport.parse(report.line().replace(" elapsedMs=12345", "")))
        .hasMessage("result field elapsedMs is missing");
  }

  @Test
  void percentiles_areNearestRank() {
    long[] micros = new long[100];
    for (int i = 0; i < 100; i++) {
      micros[i] = 100 - i;
    }
    assertThat(Percentiles.of(micros)).isEqualTo(new Percentiles(50, 90, 99, 100));
    assertThat(Percentiles.of(new long[0])).isEqualTo(Percentiles.NONE);
  }
}
