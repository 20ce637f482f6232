package io.boxer.bench.paper;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.Arrays;

/**
 * One measurement's raw samples, as a client prints it (one JSON line) and the report reads it back.
 *
 * @param delay the lab's added round trip, e.g. {@code 0.5ms} or {@code 0}
 * @param type the connection type
 * @param round the round (1-based) of the interleaved schedule
 * @param metric what was measured
 * @param senders for fan-in, how many senders ran at once; 1 otherwise
 * @param samples the raw samples in the metric's unit, in the order taken; never empty
 */
record Measurement(String delay, ConnectionType type, int round, Metric metric, int senders, double[] samples) {
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  Measurement {
    if (!delay.matches("[0-9][0-9.]*(ms)?")) {
      throw new IllegalArgumentException("delay : '" + delay + "' (expected: e.g. 0 or 0.5ms)");
    }
    if (round < 1 || senders < 1) {
      throw new IllegalArgumentException("round : " + round + ", senders : " + senders + " (expected: >= 1)");
    }
    if (samples.length == 0) {
      throw new IllegalArgumentException(metric.id() + " of " + type.id() + " : no samples (expected: at least one)");
    }
  }

  String toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("delay", delay);
    o.addProperty("type", type.id());
    o.addProperty("round", round);
    o.addProperty("metric", metric.id());
    o.addProperty("senders", senders);
    o.add("samples", GSON.toJsonTree(samples));
    return GSON.toJson(o);
  }

  /** Whether a line of a worker's output is a measurement (rather than a ready line or a log line). */
  static boolean isMeasurement(String line) {
    return line.startsWith("{") && line.contains("\"metric\"");
  }

  static Measurement parse(String line) {
    JsonObject o = JsonParser.parseString(line).getAsJsonObject();
    return new Measurement(o.get("delay").getAsString(), ConnectionType.byId(o.get("type").getAsString()),
        o.get("round").getAsInt(), Metric.byId(o.get("metric").getAsString()), o.get("senders").getAsInt(),
        GSON.fromJson(o.get("samples"), double[].class));
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Measurement m && delay.equals(m.delay) && type == m.type && round == m.round
        && metric == m.metric && senders == m.senders && Arrays.equals(samples, m.samples);
  }

  @Override
  public int hashCode() {
    return 31 * java.util.Objects.hash(delay, type, round, metric, senders) + Arrays.hashCode(samples);
  }

  @Override
  public String toString() {
    return toJson();
  }
}
