package io.boxer.deathstar.load;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Throughput-versus-latency PNGs, like the Boxer paper's Figure 8: achieved throughput on x, the corrected latency
 * percentile on a log-scale y, one line per deployment through its offered rates. Rates with no successful answer
 * have no latency and are left out. Rendering runs headless (no display needed).
 */
public final class Plots {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 560;

  private record Percentile(String name, ToDoubleFunction<LatencySummary> value) {}

  private static final List<Percentile> PERCENTILES = List.of(
      new Percentile("p50", LatencySummary::p50Ms),
      new Percentile("p90", LatencySummary::p90Ms),
      new Percentile("p99", LatencySummary::p99Ms));

  private Plots() {}

  /**
   * Writes {@code throughput-p50.png}, {@code throughput-p90.png} and {@code throughput-p99.png} into {@code dir}
   * (created if needed).
   *
   * @return the files written
   * @throws IllegalArgumentException if no deployment has a rate with a successful answer
   */
  public static List<Path> write(Map<String, List<RateResult>> resultsByLabel, Path dir) throws IOException {
    boolean anyPoint = resultsByLabel.values().stream().flatMap(List::stream).anyMatch(r -> r.successes() > 0);
    if (!anyPoint) {
      throw new IllegalArgumentException("nothing to plot: no deployment has a rate with a successful answer");
    }
    System.setProperty("java.awt.headless", "true");
    Files.createDirectories(dir);
    List<Path> written = new ArrayList<>();
    for (Percentile percentile : PERCENTILES) {
      Path file = dir.resolve("throughput-" + percentile.name() + ".png");
      XYChart chart = chart(resultsByLabel, percentile);
      try (OutputStream out = Files.newOutputStream(file)) {
        BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
      }
      written.add(file);
    }
    return written;
  }

  private static XYChart chart(Map<String, List<RateResult>> resultsByLabel, Percentile percentile) {
    XYChart chart = new XYChartBuilder()
        .width(WIDTH)
        .height(HEIGHT)
        .title("Throughput vs " + percentile.name() + " latency (coordinated-omission corrected)")
        .xAxisTitle("Achieved throughput (req/s)")
        .yAxisTitle(percentile.name() + " latency (ms, log scale)")
        .build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    chart.getStyler().setYAxisLogarithmic(true);
    chart.getStyler().setXAxisMin(0.0);
    chart.getStyler().setYAxisDecimalPattern("#,##0.###");
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    double lowest = Double.MAX_VALUE;
    double highest = 0;
    for (Map.Entry<String, List<RateResult>> entry : resultsByLabel.entrySet()) {
      List<RateResult> points = entry.getValue().stream()
          .filter(r -> r.successes() > 0)
          .sorted(Comparator.comparingDouble(RateResult::offeredRps))
          .toList();
      if (points.isEmpty()) {
        continue;
      }
      double[] x = points.stream().mapToDouble(RateResult::achievedRps).toArray();
      // a log axis cannot show 0; a sub-microsecond latency is below the histogram's resolution anyway
      double[] y = points.stream().mapToDouble(r -> Math.max(0.001, percentile.value().applyAsDouble(r.corrected())))
          .toArray();
      chart.addSeries(entry.getKey(), x, y).setMarker(SeriesMarkers.CIRCLE);
      for (double v : y) {
        lowest = Math.min(lowest, v);
        highest = Math.max(highest, v);
      }
    }
    // whole decades, so the log axis has labelled ticks even when all latencies lie within one decade
    chart.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(lowest))));
    chart.getStyler().setYAxisMax(Math.pow(10, Math.ceil(Math.log10(highest * 1.0001))));
    return chart;
  }
}
