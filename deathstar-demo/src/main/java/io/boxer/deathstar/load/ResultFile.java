package io.boxer.deathstar.load;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The results of one deployment's load run as files: {@code results.json} (read back by {@code plot}) and
 * {@code results.csv} (for spreadsheets), side by side in one directory.
 *
 * @param label the deployment
 * @param workload the workload's CLI name
 */
public record ResultFile(String label, String workload, List<RateResult> results) {
  public static final String JSON_NAME = "results.json";
  public static final String CSV_NAME = "results.csv";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  public ResultFile {
    results = List.copyOf(results);
  }

  /** Writes {@code results.json} and {@code results.csv} into {@code dir}, creating it; returns the JSON file. */
  public Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    Path json = dir.resolve(JSON_NAME);
    Files.writeString(json, GSON.toJson(this), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve(CSV_NAME), csv(), StandardCharsets.UTF_8);
    return json;
  }

  /** This file's CSV: a header, then one row per rate; latencies in ms. */
  public String csv() {
    StringBuilder out = new StringBuilder("label,workload,offered_rps,achieved_rps,measured_s,sent,successes,errors,"
        + "dropped,p50_ms,p90_ms,p99_ms,max_ms,p50_uncorrected_ms,p90_uncorrected_ms,p99_uncorrected_ms,"
        + "max_uncorrected_ms\n");
    for (RateResult r : results) {
      out.append(String.format(Locale.ROOT, "%s,%s,%.3f,%.3f,%.3f,%d,%d,%d,%d,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f,%.3f%n",
          label, workload, r.offeredRps(), r.achievedRps(), r.measuredSeconds(), r.sent(), r.successes(), r.errors(),
          r.dropped(), r.corrected().p50Ms(), r.corrected().p90Ms(), r.corrected().p99Ms(), r.corrected().maxMs(),
          r.uncorrected().p50Ms(), r.uncorrected().p90Ms(), r.uncorrected().p99Ms(), r.uncorrected().maxMs()));
    }
    return out.toString();
  }

  /**
   * Reads a {@code results.json}.
   *
   * @throws IOException naming the file if it is missing or not a results file
   */
  public static ResultFile read(Path json) throws IOException {
    String text;
    try {
      text = Files.readString(json, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(json + " (expected: a results.json written by the load command)");
    }
    ResultFile file;
    try {
      file = GSON.fromJson(text, ResultFile.class);
    } catch (RuntimeException e) { // JsonParseException, or a record constructor refusing a null
      throw new IOException(json + " is not a results file: " + e.getMessage(), e);
    }
    if (file == null || file.label() == null || file.results() == null
        || file.results().stream().anyMatch(r -> r == null || r.corrected() == null || r.uncorrected() == null)) {
      throw new IOException(json + " is not a results file (expected: label, workload and results with latencies)");
    }
    return file;
  }
}
