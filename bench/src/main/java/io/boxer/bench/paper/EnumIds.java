package io.boxer.bench.paper;

import java.util.Arrays;
import java.util.function.Function;

/** Looking up an enum constant by the id it has on the command line and in result files. */
final class EnumIds {
  private EnumIds() {}

  /** The constant whose id is {@code given}; else {@code what : 'given' (expected one of: a, b, ...)}. */
  static <E extends Enum<E>> E find(E[] values, Function<E, String> id, String what, String given) {
    return Arrays.stream(values).filter(v -> id.apply(v).equals(given)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException(what + " : '" + given + "' (expected one of: "
            + String.join(", ", Arrays.stream(values).map(id).toList()) + ")"));
  }
}
