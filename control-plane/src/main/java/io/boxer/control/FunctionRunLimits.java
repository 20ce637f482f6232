package io.boxer.control;

import java.util.regex.Pattern;

/**
 * The bounds of a function run's event ({@code boxer.function.v1.FunctionRun}), in one place for the side that
 * sends it ({@code boxer invoke}) and the side that checks it (the Lambda handler), so neither refuses what the
 * other allows.
 */
public final class FunctionRunLimits {
  /**
   * The largest cluster Boxer serves: each member reports its links to the seed in one message under the seed's
   * 64 KiB message bound, and {@code boxer status --seed} answers with every member's links.
   */
  public static final int MAX_MEMBERS = 500;
  /** A Lambda function runs for 15 minutes at most: a barrier cannot wait longer than the function lives. */
  public static final int MAX_BARRIER_TIMEOUT_SECONDS = 900;
  /** The prefix of the variables Boxer sets for the command itself; an event may not set them. */
  public static final String RESERVED_PREFIX = "BOXER_";
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,255}");

  private FunctionRunLimits() {}

  /** Whether {@code name} is an environment variable name an event may carry (letters, digits, _; 1..256). */
  public static boolean isEnvironmentName(String name) {
    return ENV_NAME.matcher(name).matches();
  }
}
