package io.boxer.netlab.wan;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The delayer's validated command line (see {@link WanDelayer}). Immutable.
 *
 * @param statusFile where the status JSON goes
 * @param oneWayMicros the delay every packet gets, 1..{@value #MAX_ONE_WAY_MICROS}
 * @param jitterMicros half the width of the uniform jitter, 0..oneWayMicros
 * @param capacity packets one queue holds at most, 1..{@value #MAX_CAPACITY}
 * @param namespaces paths of the network namespaces whose queue to serve, at least one
 */
record DelayerArgs(Path statusFile, long oneWayMicros, long jitterMicros, int capacity, List<String> namespaces) {
  static final long MAX_ONE_WAY_MICROS = 1_000_000;
  static final int MAX_CAPACITY = 1 << 20;

  DelayerArgs {
    if (oneWayMicros < 1 || oneWayMicros > MAX_ONE_WAY_MICROS) {
      throw new IllegalArgumentException("--one-way-micros : " + oneWayMicros + " (expected: 1.."
          + MAX_ONE_WAY_MICROS + ")");
    }
    if (jitterMicros < 0 || jitterMicros > oneWayMicros) {
      throw new IllegalArgumentException("--jitter-micros : " + jitterMicros + " (expected: 0.." + oneWayMicros
          + ", at most the one-way delay)");
    }
    if (capacity < 1 || capacity > MAX_CAPACITY) {
      throw new IllegalArgumentException("--capacity : " + capacity + " (expected: 1.." + MAX_CAPACITY + ")");
    }
    if (namespaces.isEmpty()) {
      throw new IllegalArgumentException("namespaces : none (expected: at least one NETNS_PATH)");
    }
    namespaces = List.copyOf(namespaces);
  }

  /** Parses {@code --status-file FILE --one-way-micros N [--jitter-micros J] [--capacity C] NETNS_PATH...}. */
  static DelayerArgs parse(String[] args) {
    Path status = null;
    long oneWay = -1;
    long jitter = 0;
    int capacity = WanDelayer.DEFAULT_CAPACITY;
    List<String> namespaces = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("--")) {
        namespaces.add(arg);
        continue;
      }
      if (i + 1 == args.length) {
        throw new IllegalArgumentException(arg + " : no value (expected: " + arg + " VALUE)");
      }
      String value = args[++i];
      switch (arg) {
        case "--status-file" -> status = Path.of(value);
        case "--one-way-micros" -> oneWay = number(arg, value);
        case "--jitter-micros" -> jitter = number(arg, value);
        case "--capacity" -> capacity = (int) Math.min(Integer.MAX_VALUE, number(arg, value));
        default -> throw new IllegalArgumentException(arg + " : unknown option (expected: --status-file, "
            + "--one-way-micros, --jitter-micros or --capacity)");
      }
    }
    if (status == null) {
      throw new IllegalArgumentException("--status-file : missing (expected: a file path)");
    }
    return new DelayerArgs(status, oneWay, jitter, capacity, namespaces);
  }

  private static long number(String option, String value) {
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " : " + value + " (expected: a whole number)");
    }
  }
}
