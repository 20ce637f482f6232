package io.boxer.deathstar.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which failed verification runs are run again: the verifier's behaviour is what matters here, so it is mocked. */
class VerificationAttemptsTest {
  private static final List<String> PASSED = List.of("seeded graph", "follow", "compose");
  private final Verifier verifier = mock(Verifier.class);
  private final List<String> log = new ArrayList<>();
  private final VerificationAttempts attempts = new VerificationAttempts(3, Duration.ZERO, log::add);

  @Test
  void aBackendTimeout_isRunAgain_andTheNextRunsPassCounts() throws Exception {
    when(verifier.verify())
        .thenThrow(new FrontendException(504, "POST /wrk2-api/post/compose answered HTTP 504: DEADLINE_EXCEEDED"))
        .thenThrow(new HttpTimeoutException("request timed out"))
        .thenReturn(PASSED);

    assertThat(attempts.verify(verifier)).isEqualTo(PASSED);
    verify(verifier, times(3)).verify();
    assertThat(log).hasSize(2);
    assertThat(log.get(0)).startsWith("attempt 1 of 3 met a slow deployment (POST /wrk2-api/post/compose answered HTTP 504");
  }

  @Test
  void aWrongAnswer_failsAtOnce() throws Exception {
    when(verifier.verify()).thenThrow(new VerificationException("post not in the follower's home timeline"));

    assertThatThrownBy(() -> attempts.verify(verifier)).isInstanceOf(VerificationException.class);
    verify(verifier, times(1)).verify();
    assertThat(log).isEmpty();
  }

  @Test
  void anErrorAnswerOrAnUnreachableFrontend_failsAtOnce() throws Exception {
    when(verifier.verify()).thenThrow(new FrontendException(500, "GET /user-timeline answered HTTP 500: boom"))
        .thenThrow(new ConnectException("Connection refused"));

    assertThatThrownBy(() -> attempts.verify(verifier)).hasMessageContaining("HTTP 500");
    assertThatThrownBy(() -> attempts.verify(verifier)).isInstanceOf(ConnectException.class);
    verify(verifier, times(2)).verify();
  }

  @Test
  void aSlowDeploymentEveryTime_failsWithTheLastRunsReason() throws Exception {
    when(verifier.verify()).thenThrow(new FrontendException(503, "first"), new FrontendException(504, "second"),
        new FrontendException(502, "third"));

    assertThatThrownBy(() -> attempts.verify(verifier)).isInstanceOf(FrontendException.class).hasMessage("third");
    verify(verifier, times(3)).verify();
  }

  @Test
  void attempts_outOfRange_areRefused() {
    assertThatThrownBy(() -> new VerificationAttempts(0, Duration.ZERO, l -> { }))
        .hasMessage("attempts : 0 (expected: 1..10)");
    assertThatThrownBy(() -> new VerificationAttempts(11, Duration.ZERO, l -> { }))
        .hasMessage("attempts : 11 (expected: 1..10)");
  }

  @Test
  void statuses_502to504_areTransient_othersAreNot() throws IOException {
    assertThat(new FrontendException(504, "x").isTransient()).isTrue();
    assertThat(new FrontendException(503, "x").isTransient()).isTrue();
    assertThat(new FrontendException(502, "x").isTransient()).isTrue();
    assertThat(new FrontendException(500, "x").isTransient()).isFalse();
    assertThat(new FrontendException(200, "x").isTransient()).isFalse();
  }
}
