package io.boxer.bench.paper;

/** What a measurement measures, and in which unit. */
enum Metric {
  THROUGHPUT_FORWARD("throughput-forward", "throughput, forward (client sends)", "Mbit/s"),
  THROUGHPUT_REVERSE("throughput-reverse", "throughput, reverse (client receives)", "Mbit/s"),
  RTT("rtt", "round-trip time, 1 KiB ping-pong, mean of 128 per sample", "us"),
  TTFB("ttfb", "time to first byte of a fresh connection", "us"),
  FAN_IN("fan-in", "fan-in: one sender's throughput", "Mbit/s");

  private final String id;
  private final String title;
  private final String unit;

  Metric(String id, String title, String unit) {
    this.id = id;
    this.title = title;
    this.unit = unit;
  }

  String id() {
    return id;
  }

  String title() {
    return title;
  }

  String unit() {
    return unit;
  }

  static Metric byId(String id) {
    return EnumIds.find(values(), Metric::id, "metric", id);
  }
}
