package io.boxer.examples.load;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What one {@link ConnectLoad} run measured, as one machine-readable line of {@code key=value} fields
 * ({@link #line()}, read back by {@link #parse(String)}): how the connects ended, how long the whole load
 * took, the distribution of connect and round-trip times, and the program's own descriptor and thread
 * counts before and after. Immutable.
 *
 * @param outcomes how many connects ended how
 * @param elapsedMillis wall time of the counted load, from the first connect to the last thread's end
 * @param connectMicros time {@code Socket.connect} took, successful connects only
 * @param roundTripMicros connect, send a line, read its echo, close: successful connects only
 * @param before the program's counts just before the counted load (after any warm-up)
 * @param after the program's counts after every load thread ended and a settle pause
 */
public record LoadReport(Outcomes outcomes, long elapsedMillis, Percentiles connectMicros,
    Percentiles roundTripMicros, ProcCounts before, ProcCounts after) {
  /** The first word of the result line. */
  public static final String PREFIX = "connectload result ";

  /**
   * How the connects ended. Every planned connect is counted exactly once.
   *
   * @param ok connected, echoed and closed
   * @param refused {@code ConnectException} saying "Connection refused"
   * @param timedOut {@code SocketTimeoutException}, while connecting or waiting for the echo
   * @param other any other I/O error or a wrong echo
   * @param unfinished never attempted: the run's deadline passed first
   */
  public record Outcomes(int ok, int refused, int timedOut, int other, int unfinished) {
    /** Every planned connect. */
    public int planned() {
      return ok + refused + timedOut + other + unfinished;
    }
  }

  /** The result line, starting with {@link #PREFIX}. */
  public String line() {
    return PREFIX + "ok=" + outcomes.ok() + " refused=" + outcomes.refused() + " timeout=" + outcomes.timedOut()
        + " other=" + outcomes.other() + " unfinished=" + outcomes.unfinished() + " elapsedMs=" + elapsedMillis
        + fields("connect", connectMicros) + fields("roundTrip", roundTripMicros)
        + " fdsBefore=" + before.fds() + " fdsAfter=" + after.fds()
        + " threadsBefore=" + before.threads() + " threadsAfter=" + after.threads();
  }

  private static String fields(String name, Percentiles p) {
    return " " + name + "P50Us=" + p.p50() + " " + name + "P90Us=" + p.p90() + " " + name + "P99Us=" + p.p99()
        + " " + name + "MaxUs=" + p.max();
  }

  /**
   * Reads the last result line in a program's output.
   *
   * @throws IllegalArgumentException if there is none, or a field is missing or not a number
   */
  public static LoadReport parse(String output) {
    List<String> lines = output.lines().filter(l -> l.startsWith(PREFIX)).toList();
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("no line starting with '" + PREFIX.trim() + "' in the output");
    }
    Map<String, Long> f = new HashMap<>();
    for (String field : lines.get(lines.size() - 1).substring(PREFIX.length()).trim().split(" +")) {
      int eq = field.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("result field : '" + field + "' (expected: key=number)");
      }
      try {
        f.put(field.substring(0, eq), Long.parseLong(field.substring(eq + 1)));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("result field : '" + field + "' (expected: key=number)");
      }
    }
    return new LoadReport(
        new Outcomes(i(f, "ok"), i(f, "refused"), i(f, "timeout"), i(f, "other"), i(f, "unfinished")),
        get(f, "elapsedMs"), percentiles(f, "connect"), percentiles(f, "roundTrip"),
        new ProcCounts(i(f, "fdsBefore"), i(f, "threadsBefore")),
        new ProcCounts(i(f, "fdsAfter"), i(f, "threadsAfter")));
  }

  private static Percentiles percentiles(Map<String, Long> f, String name) {
    return new Percentiles(get(f, name + "P50Us"), get(f, name + "P90Us"), get(f, name + "P99Us"),
        get(f, name + "MaxUs"));
  }

  private static int i(Map<String, Long> f, String key) {
    return Math.toIntExact(get(f, key));
  }

  private static long get(Map<String, Long> f, String key) {
    Long v = f.get(key);
    if (v == null) {
      throw new IllegalArgumentException("result field " + key + " is missing");
    }
    return v;
  }
}
