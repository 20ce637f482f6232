package io.boxer.bench.paper;

import io.boxer.bench.storage.Stats;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The paper's figures as PNGs, rendered headless: eCDFs of RTT (Figure 7) and time to first byte (Figure 6), one
 * line per connection type, and the fan-in's aggregate throughput against the number of senders (Figure 5). Also
 * an eCDF of each throughput, which the paper gives as tables only.
 */
final class PaperPlots {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 560;

  private PaperPlots() {}

  static String ecdfName(Metric metric, String delay) {
    return "ecdf-" + metric.id() + "-" + delay + ".png";
  }

  static String fanInName(String delay) {
    return "fan-in-" + delay + ".png";
  }

  /** Writes every plot the report has data for into {@code dir}; returns plot name to file name. */
  static Map<String, String> write(PaperReport report, Path dir) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Map<String, String> written = new LinkedHashMap<>();
    for (String delay : report.delays()) {
      for (Metric metric : List.of(Metric.RTT, Metric.TTFB, Metric.THROUGHPUT_FORWARD, Metric.THROUGHPUT_REVERSE)) {
        XYChart chart = chart(metric.title() + ", added RTT " + delay, metric.unit() + (logScale(metric) ? ", log scale" : ""),
            "fraction of samples at or below");
        chart.getStyler().setXAxisLogarithmic(logScale(metric));
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setYAxisDecimalPattern("0.00");
        boolean any = false;
        for (ConnectionType type : ConnectionType.values()) {
          double[] samples = report.samples(delay, metric, type);
          if (samples.length > 0) {
            Ecdf ecdf = new Ecdf(samples);
            chart.addSeries(type.title(), ecdf.xs(), ecdf.ys()).setMarker(SeriesMarkers.NONE);
            any = true;
          }
        }
        if (any) {
          save(chart, dir, ecdfName(metric, delay), written);
        }
      }
      List<Integer> levels = report.fanInLevels(delay);
      if (!levels.isEmpty()) {
        XYChart chart = chart("Fan-in to one function, added RTT " + delay, "senders (functions)", "aggregate Mbit/s");
        double[] x = levels.stream().mapToDouble(Integer::doubleValue).toArray();
        double[] y = levels.stream().mapToDouble(l -> Stats.of(report.fanInAggregates(delay, l)).median()).toArray();
        chart.addSeries("aggregate (median of rounds)", x, y).setMarker(SeriesMarkers.CIRCLE);
        chart.getStyler().setYAxisMin(0.0);
        save(chart, dir, fanInName(delay), written);
      }
    }
    return written;
  }

  /** Latencies span orders of magnitude once Boxer's connection setup is in; throughput does not. */
  private static boolean logScale(Metric metric) {
    return metric == Metric.TTFB || metric == Metric.RTT;
  }

  private static XYChart chart(String title, String xTitle, String yTitle) {
    XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
        .yAxisTitle(yTitle).build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setXAxisDecimalPattern("#,##0.###");
    return chart;
  }

  private static void save(XYChart chart, Path dir, String name, Map<String, String> written) throws IOException {
    try (OutputStream out = Files.newOutputStream(dir.resolve(name))) {
      BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }
    written.put(name, name);
  }
}
