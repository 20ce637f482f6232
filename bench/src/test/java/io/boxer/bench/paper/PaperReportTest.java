package io.boxer.bench.paper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.bench.storage.Stats;
import io.boxer.examples.load.LoadReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PaperReportTest {
  private static final String DELAY = "0.5ms";

  private static Measurement m(ConnectionType type, int round, Metric metric, double... samples) {
    return new Measurement(DELAY, type, round, metric, 1, samples);
  }

  /** Every type and table metric in one round, each type's samples {@code base} times its factor. */
  private static List<Measurement> fullRound(int round, double boxerFactor) {
    List<Measurement> all = new ArrayList<>();
    for (ConnectionType type : ConnectionType.values()) {
      double f = type.reference() == type ? 1 : boxerFactor; // a native type is its own reference
      for (Metric metric : List.of(Metric.THROUGHPUT_FORWARD, Metric.THROUGHPUT_REVERSE, Metric.RTT, Metric.TTFB)) {
        all.add(m(type, round, metric, 100 * f, 200 * f, 300 * f));
      }
    }
    return all;
  }

  private static ConnectRate rate(boolean boxer, int round, int ok, long millis) {
    return new ConnectRate(DELAY, boxer, round, LoadReport.parse("connectload result ok=" + ok
        + " refused=0 timeout=0 other=0 unfinished=0 elapsedMs=" + millis
        + " connectP50Us=1 connectP90Us=1 connectP99Us=1 connectMaxUs=1"
        + " roundTripP50Us=1 roundTripP90Us=1 roundTripP99Us=1 roundTripMaxUs=1"
        + " fdsBefore=1 fdsAfter=1 threadsBefore=1 threadsAfter=1"));
  }

  @Test
  void ratio_isTheMedianOverRoundsOfEachRoundsMedianAgainstItsNativeReference() {
    List<Measurement> all = new ArrayList<>();
    all.addAll(fullRound(1, 2));
    all.addAll(fullRound(2, 3));
    all.addAll(fullRound(3, 10));
    PaperReport report = new PaperReport(all, List.of());

    Stats f2f = report.ratio(DELAY, Metric.TTFB, ConnectionType.FUNCTION_TO_FUNCTION);
    assertThat(f2f.median()).isEqualTo(3.0);
    assertThat(f2f.min()).isEqualTo(2.0);
    assertThat(f2f.max()).isEqualTo(10.0);
    assertThat(f2f.count()).isEqualTo(3);
    assertThat(report.ratio(DELAY, Metric.TTFB, ConnectionType.VM_TO_VM_NATIVE).median()).isEqualTo(1.0);
  }

  @Test
  void ratio_dividesByTheTypesOwnReference() {
    List<Measurement> all = new ArrayList<>(fullRound(1, 1));
    all.removeIf(x -> x.type() == ConnectionType.FUNCTION_TO_VM_NATIVE && x.metric() == Metric.RTT);
    all.add(m(ConnectionType.FUNCTION_TO_VM_NATIVE, 1, Metric.RTT, 50));
    PaperReport report = new PaperReport(all, List.of());

    assertThat(report.ratio(DELAY, Metric.RTT, ConnectionType.FUNCTION_TO_FUNCTION).median()).isEqualTo(4.0);
    assertThat(report.ratio(DELAY, Metric.RTT, ConnectionType.VM_TO_VM).median()).isEqualTo(1.0);
  }

  @Test
  void fanIn_aggregateIsTheSumOfTheSendersMeansPerRound() {
    List<Measurement> all = List.of(
        new Measurement(DELAY, ConnectionType.FUNCTION_TO_FUNCTION, 1, Metric.FAN_IN, 2, new double[] {100, 300}),
        new Measurement(DELAY, ConnectionType.FUNCTION_TO_FUNCTION, 1, Metric.FAN_IN, 2, new double[] {150}),
        new Measurement(DELAY, ConnectionType.FUNCTION_TO_FUNCTION, 2, Metric.FAN_IN, 2, new double[] {10}),
        new Measurement(DELAY, ConnectionType.FUNCTION_TO_FUNCTION, 1, Metric.FAN_IN, 1, new double[] {400}));
    PaperReport report = new PaperReport(all, List.of());

    assertThat(report.fanInAggregates(DELAY, 2)).containsExactly(350, 10);
    assertThat(report.fanInLevels(DELAY)).containsExactly(1, 2);
  }

  @Test
  void problems_noneForACompleteRunOrAStalledInterval_oneForEachMissingTypeZeroFigureOrFailedConnect() {
    List<Measurement> all = new ArrayList<>(fullRound(1, 2));
    all.add(new Measurement(DELAY, ConnectionType.FUNCTION_TO_FUNCTION, 1, Metric.FAN_IN, 1, new double[] {400}));
    List<ConnectRate> rates = List.of(rate(true, 1, 64, 1000), rate(false, 1, 64, 500));
    assertThat(new PaperReport(all, rates).problems(List.of(DELAY), List.of(1))).isEmpty();

    List<Measurement> broken = new ArrayList<>(all);
    broken.removeIf(x -> x.type() == ConnectionType.VM_TO_FUNCTION && x.metric() == Metric.TTFB);
    broken.removeIf(x -> x.type() == ConnectionType.VM_TO_VM && x.metric() == Metric.THROUGHPUT_REVERSE);
    broken.add(m(ConnectionType.VM_TO_VM, 1, Metric.THROUGHPUT_REVERSE, 0, 0));
    broken.removeIf(x -> x.type() == ConnectionType.VM_TO_VM && x.metric() == Metric.THROUGHPUT_FORWARD);
    broken.add(m(ConnectionType.VM_TO_VM, 1, Metric.THROUGHPUT_FORWARD, 0, 500)); // one stalled interval: fine
    broken.removeIf(x -> x.type() == ConnectionType.FUNCTION_TO_VM && x.metric() == Metric.RTT);
    broken.add(m(ConnectionType.FUNCTION_TO_VM, 1, Metric.RTT, 0, 500));
    broken.removeIf(x -> x.type() == ConnectionType.VM_TO_FUNCTION && x.metric() == Metric.RTT);
    broken.add(m(ConnectionType.VM_TO_FUNCTION, 1, Metric.RTT, -1, 500));
    List<ConnectRate> failed = List.of(rate(true, 1, 0, 1000), rate(false, 1, 64, 500));
    assertThat(new PaperReport(broken, failed).problems(List.of(DELAY), List.of(1, 2)))
        .containsExactlyInAnyOrder(
            "0.5ms ttfb v2f: no samples",
            "0.5ms throughput-reverse v2v: no throughput",
            "0.5ms rtt f2v: a zero latency",
            "0.5ms rtt v2f: a sample is negative or not a number",
            "0.5ms fan-in with 2 senders: missing senders or zero throughput",
            "0.5ms connects per second boxer: missing, zero or failed connects");
    assertThat(new PaperReport(all, rates).problems(List.of(DELAY, "0"), List.of())).hasSize(4 * 6 + 2);
  }

  @Test
  void markdown_showsEachTypesStatsRatioAndThePapersFigure() {
    List<Measurement> all = new ArrayList<>(fullRound(1, 2));
    List<ConnectRate> rates = List.of(rate(true, 1, 100, 1000), rate(false, 1, 100, 250));
    String md = new PaperReport(all, rates).markdown(Map.of(PaperPlots.ecdfName(Metric.TTFB, DELAY), "t.png"));

    // f2f TTFB: samples 200, 400, 600: mean 400, median 400, population std 163.3, ratio 2 against f2v-native
    assertThat(md).contains("| function-to-function | 3 | 400 | 400 | 163 | 200 | 600 | 2.00x (1 round) | f2v-native | mean 2735 |");
    assertThat(md).contains("| VM-to-VM-native | 3 | 200 | 200 | 81.6 | 100 | 300 | 1.00x (1 round) | v2v-native | mean 408 |");
    assertThat(md).contains("![time to first byte of a fresh connection, eCDF, 0.5ms](t.png)");
    assertThat(md).contains("| native, function-to-VM | 1 | 400 | 400 - 400 | 0 | not given |");
    assertThat(md).contains("| Boxer, function-to-function | 1 | 100 | 100 - 100 | 0 | not given |");
    assertThat(md).contains("Boxer / native: 0.25x (1 round)");
  }

  @Test
  void read_takesMeasurementLinesAndConnectFiles_skippingReadyAndLogLines(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("delay"), "0.5ms\n");
    Measurement ttfb = m(ConnectionType.FUNCTION_TO_FUNCTION, 2, Metric.TTFB, 1500, 2500);
    Files.writeString(dir.resolve("r2-f2f.json"), "{\"ready\": \"fanin-1-1\"}\nsome log line\n" + ttfb.toJson() + "\n");
    Files.writeString(dir.resolve("connects-boxer-r2.txt"), "boxer: joined\n" + "connectload result ok=10 refused=0"
        + " timeout=0 other=0 unfinished=0 elapsedMs=20 connectP50Us=1 connectP90Us=1 connectP99Us=1 connectMaxUs=1"
        + " roundTripP50Us=1 roundTripP90Us=1 roundTripP99Us=1 roundTripMaxUs=1 fdsBefore=1 fdsAfter=1"
        + " threadsBefore=1 threadsAfter=1\n");

    PaperReport report = PaperReport.read(List.of(dir));

    assertThat(report.measurements()).containsExactly(ttfb);
    assertThat(report.samples("0.5ms", Metric.TTFB, ConnectionType.FUNCTION_TO_FUNCTION)).containsExactly(1500, 2500);
    assertThat(report.markdown(Map.of())).contains("| Boxer, function-to-function | 1 | 500 | 500 - 500 | 0 |");
  }

  @Test
  void measurement_roundTripsThroughJson_andRefusesNoSamples() {
    Measurement fan = new Measurement("0", ConnectionType.FUNCTION_TO_FUNCTION, 3, Metric.FAN_IN, 4, new double[] {1.5});
    assertThat(Measurement.parse(fan.toJson())).isEqualTo(fan);
    assertThatThrownBy(() -> m(ConnectionType.VM_TO_VM, 1, Metric.RTT)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("rtt of v2v : no samples");
  }

  @Test
  void byId_findsTypesAndMetricsByTheirIds_andNamesTheChoicesOtherwise() {
    assertThat(ConnectionType.byId("v2f")).isEqualTo(ConnectionType.VM_TO_FUNCTION);
    assertThat(Metric.byId("ttfb")).isEqualTo(Metric.TTFB);
    assertThatThrownBy(() -> ConnectionType.byId("zz")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("type : 'zz' (expected one of: v2v-native, f2v-native, v2v, f2v, v2f, f2f)");
    assertThatThrownBy(() -> Metric.byId("rt")).hasMessageStartingWith("metric : 'rt' (expected one of: throughput-forward,");
  }
}
