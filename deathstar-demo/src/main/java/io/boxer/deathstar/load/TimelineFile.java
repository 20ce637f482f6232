package io.boxer.deathstar.load;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's per-second counts as a CSV file ({@value #NAME}), with the run's origin as wall-clock time so that other
 * processes' timestamps (an instance's first served call) can be placed on it:
 * <pre>
 * # origin-epoch-ms=1764640000000
 * second,offered,succeeded,failed
 * 0,41,40,0
 * </pre>
 *
 * @param originEpochMillis wall-clock time of second 0
 * @param seconds consecutive seconds from 0
 */
public record TimelineFile(long originEpochMillis, List<Second> seconds) {
  public static final String NAME = "timeline.csv";
  private static final String ORIGIN = "# origin-epoch-ms=";
  private static final String HEADER = "second,offered,succeeded,failed";

  /** The counts of one second. */
  public record Second(int second, long offered, long succeeded, long failed) {}

  public TimelineFile {
    seconds = List.copyOf(seconds);
    for (int i = 0; i < seconds.size(); i++) {
      if (seconds.get(i).second() != i) {
        throw new IllegalArgumentException("second : " + seconds.get(i).second() + " at row " + i
            + " (expected: consecutive seconds from 0)");
      }
    }
  }

  /** Writes {@code dir/timeline.csv} (dir created if needed); returns the file. */
  public Path write(Path dir) throws IOException {
    Files.createDirectories(dir);
    StringBuilder csv = new StringBuilder(ORIGIN).append(originEpochMillis).append('\n').append(HEADER).append('\n');
    for (Second s : seconds) {
      csv.append(s.second()).append(',').append(s.offered()).append(',').append(s.succeeded()).append(',')
          .append(s.failed()).append('\n');
    }
    Path file = dir.resolve(NAME);
    Files.writeString(file, csv, StandardCharsets.UTF_8);
    return file;
  }

  /**
   * Reads a file {@link #write} wrote.
   *
   * @throws IOException if it cannot be read or is malformed (naming the line)
   */
  public static TimelineFile read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    if (lines.size() < 2 || !lines.get(0).startsWith(ORIGIN) || !lines.get(1).equals(HEADER)) {
      throw new IOException(file + ": not a timeline (expected: '" + ORIGIN + "MILLIS' then '" + HEADER + "')");
    }
    long origin = number(file, 1, lines.get(0).substring(ORIGIN.length()));
    List<Second> seconds = new ArrayList<>();
    for (int i = 2; i < lines.size(); i++) {
      String[] fields = lines.get(i).split(",", -1);
      if (fields.length != 4) {
        throw new IOException(file + " line " + (i + 1) + ": '" + lines.get(i) + "' (expected: " + HEADER + ")");
      }
      seconds.add(new Second((int) number(file, i + 1, fields[0]), number(file, i + 1, fields[1]),
          number(file, i + 1, fields[2]), number(file, i + 1, fields[3])));
    }
    try {
      return new TimelineFile(origin, seconds);
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage());
    }
  }

  private static long number(Path file, int line, String text) throws IOException {
    try {
      long value = Long.parseLong(text.strip());
      if (value < 0) {
        throw new NumberFormatException();
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IOException(file + " line " + line + ": '" + text + "' (expected: a count >= 0)");
    }
  }
}
