package io.boxer.testing;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Waiting where the test's own assertion, not a timeout, should say what went wrong: poll until a condition
 * holds or a bound passed, then return either way, and let the checks that follow name what is missing.
 */
public final class Waits {
  private Waits() {}

  /** Polls {@code condition} every {@code pollInterval}, from now, until it holds or {@code limit} passed. */
  public static void awaitAtMost(Duration limit, Duration pollInterval, Callable<Boolean> condition) {
    awaitAtMost(limit, Duration.ZERO, pollInterval, condition);
  }

  /** As above, with the first poll after {@code pollDelay}. */
  public static void awaitAtMost(Duration limit, Duration pollDelay, Duration pollInterval,
      Callable<Boolean> condition) {
    try {
      await().atMost(limit).pollDelay(pollDelay).pollInterval(pollInterval).until(condition);
    } catch (ConditionTimeoutException e) {
      // as documented: the caller goes on, and its own assertions fail with their messages
    }
  }
}
