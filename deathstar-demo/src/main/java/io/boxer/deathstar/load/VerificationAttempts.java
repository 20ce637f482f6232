package io.boxer.deathstar.load;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a {@link Verifier} again when its run failed on a transient answer: a backend call that timed out or was
 * unavailable ({@link FrontendException#isTransient}), or a request the frontend did not answer in time. A deployment
 * whose nine JVMs have just started answers its first calls slowly on a busy machine (class loading, the JIT, the
 * first connections), and one slow call must not fail the whole demo; a wrong answer ({@link VerificationException})
 * is never run again. Each run writes a post and a follow of its own (unique text), so runs can repeat.
 */
public final class VerificationAttempts {
  private final int attempts;
  private final Duration pause;
  private final Consumer<String> log;

  /**
   * @param attempts runs at most, 1..10
   * @param pause between runs
   * @param log told of each retry, with the reason
   */
  public VerificationAttempts(int attempts, Duration pause, Consumer<String> log) {
    if (attempts < 1 || attempts > 10) {
      throw new IllegalArgumentException("attempts : " + attempts + " (expected: 1..10)");
    }
    this.attempts = attempts;
    this.pause = pause;
    this.log = log;
  }

  /**
   * The passed checks of the first run that passed.
   *
   * @throws VerificationException the first mismatch, at once
   * @throws IOException the last run's transient failure when every run had one, or any other I/O failure at once
   */
  public List<String> verify(Verifier verifier) throws VerificationException, IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      try {
        return verifier.verify();
      } catch (IOException e) {
        if (!isTransient(e) || attempt >= attempts) {
          throw e;
        }
        log.accept("attempt " + attempt + " of " + attempts + " met a slow deployment (" + e.getMessage()
            + "); again in " + pause.toMillis() + " ms");
        Thread.sleep(pause.toMillis());
      }
    }
  }

  static boolean isTransient(IOException e) {
    return e instanceof FrontendException f ? f.isTransient() : e instanceof HttpTimeoutException;
  }
}
