package io.boxer.examples.replicated;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Command-line flags, each {@code --name value}, parsed by hand so that the examples jar needs no library. A
 * flag may be given once unless it is named repeatable.
 */
final class Flags {
  private final Map<String, List<String>> given;

  private Flags(Map<String, List<String>> given) {
    this.given = given;
  }

  static Flags parse(String[] args, Set<String> known, Set<String> repeatable) throws UsageException {
    Map<String, List<String>> given = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String name = args[i];
      if (!known.contains(name)) {
        throw new UsageException("unknown option " + name + " (expected one of " + new TreeSet<>(known) + ")");
      }
      if (i + 1 == args.length) {
        throw new UsageException(name + " needs a value");
      }
      List<String> values = given.computeIfAbsent(name, n -> new ArrayList<>());
      if (!values.isEmpty() && !repeatable.contains(name)) {
        throw new UsageException(name + " is given twice");
      }
      values.add(args[i + 1]);
    }
    return new Flags(given);
  }

  Optional<String> value(String name) {
    return values(name).stream().findFirst();
  }

  List<String> values(String name) {
    return given.getOrDefault(name, List.of());
  }

  int intValue(String name, int defaultValue, int min, int max) throws UsageException {
    Optional<String> text = value(name);
    return text.isEmpty() ? defaultValue : parseInt(name, text.get(), min, max);
  }

  int requiredInt(String name, int min, int max) throws UsageException {
    String text = value(name).orElseThrow(
        () -> new UsageException(name + " is required (expected: " + min + ".." + max + ")"));
    return parseInt(name, text, min, max);
  }

  static int parseInt(String name, String text, int min, int max) throws UsageException {
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below, with the range
    }
    throw new UsageException(name + " : " + text + " (expected: " + min + ".." + max + ")");
  }
}
