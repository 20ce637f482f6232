package io.boxer.deathstar.load;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Throughput over time, like the Boxer paper's Figure 8 (right): successful answers per second of each run, and
 * the offered load of the first run (the runs share their arrival seed, so they were offered the same), as a
 * dashed line. Rendering runs headless.
 */
public final class TimelinePlot {
  public static final String NAME = "burst-throughput.png";

  private TimelinePlot() {}

  /**
   * Writes {@code dir/burst-throughput.png} (dir created if needed).
   *
   * @param timelinesByLabel at least one run, in legend order
   * @return the file
   */
  public static Path write(Map<String, TimelineFile> timelinesByLabel, String title, Path dir) throws IOException {
    if (timelinesByLabel.isEmpty()) {
      throw new IllegalArgumentException("nothing to plot: no run");
    }
    System.setProperty("java.awt.headless", "true");
    XYChart chart = new XYChartBuilder().width(900).height(520).title(title)
        .xAxisTitle("Time since the load started (s)").yAxisTitle("Throughput (successful req/s)").build();
    chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
    chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
    chart.getStyler().setYAxisMin(0.0);
    boolean offered = false;
    for (Map.Entry<String, TimelineFile> run : timelinesByLabel.entrySet()) {
      TimelineFile t = run.getValue();
      if (t.seconds().isEmpty()) {
        continue;
      }
      double[] x = t.seconds().stream().mapToDouble(TimelineFile.Second::second).toArray();
      if (!offered) {
        chart.addSeries("offered", x, t.seconds().stream().mapToDouble(TimelineFile.Second::offered).toArray())
            .setMarker(SeriesMarkers.NONE).setLineStyle(SeriesLines.DASH_DASH).setLineColor(java.awt.Color.GRAY);
        offered = true;
      }
      chart.addSeries(run.getKey(), x, t.seconds().stream().mapToDouble(TimelineFile.Second::succeeded).toArray())
          .setMarker(SeriesMarkers.NONE);
    }
    if (!offered) {
      throw new IllegalArgumentException("nothing to plot: every run's timeline is empty");
    }
    Files.createDirectories(dir);
    Path file = dir.resolve(NAME);
    try (OutputStream out = Files.newOutputStream(file)) {
      BitmapEncoder.saveBitmap(chart, out, BitmapEncoder.BitmapFormat.PNG);
    }
    return file;
  }
}
