package io.boxer.deathstar.app;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameters of a frontend request: its query string and, for form posts, its
 * {@code application/x-www-form-urlencoded} body. The first value of a repeated name wins. Getters throw
 * {@link IllegalArgumentException} naming the parameter, which the frontend answers with 400.
 */
final class HttpParams {
  private final Map<String, String> values;

  private HttpParams(Map<String, String> values) {
    this.values = values;
  }

  /** Parses URL-encoded {@code a=1&b=2} parts; null parts are skipped. */
  static HttpParams parse(String... encodedParts) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String encoded : encodedParts) {
      if (encoded == null || encoded.isEmpty()) {
        continue;
      }
      for (String pair : encoded.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        values.putIfAbsent(name, value);
      }
    }
    return new HttpParams(values);
  }

  /** A required, non-empty string. */
  String string(String name) {
    String value = values.get(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException("missing parameter " + name);
    }
    return value;
  }

  /** An optional string, or null. */
  String optionalString(String name) {
    String value = values.get(name);
    return value == null || value.isEmpty() ? null : value;
  }

  /** A required integer in {@code min..max}. */
  long longValue(String name, long min, long max) {
    return parseLong(name, string(name), min, max);
  }

  /** An optional integer in {@code min..max}, or {@code defaultValue} when absent. */
  long longValue(String name, long defaultValue, long min, long max) {
    String value = optionalString(name);
    return value == null ? defaultValue : parseLong(name, value, min, max);
  }

  static long parseLong(String name, String value, long min, long max) {
    long parsed;
    try {
      parsed = Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " : '" + value + "' (expected: an integer)");
    }
    if (parsed < min || parsed > max) {
      String range = max == Long.MAX_VALUE ? ">= " + min : min + ".." + max;
      throw new IllegalArgumentException(name + " : " + parsed + " (expected: " + range + ")");
    }
    return parsed;
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("malformed URL encoding in '" + s + "'");
    }
  }
}
