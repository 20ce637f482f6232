package io.boxer.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.launcher.ChangeHook.Outcome;
import io.boxer.node.membership.Peer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ChangeHookTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Peer A = peer(1, "198.18.0.101");
  private static final Peer B = peer(2, "198.18.0.102");
  private static final Peer C = peer(3, "198.18.0.103");
  private static final Peer D = peer(4, "198.18.0.104");

  private final BlockingQueue<Map<String, String>> runs = new LinkedBlockingQueue<>();

  private static Peer peer(long id, String ip) {
    return new Peer(id, new InetSocketAddress(ip, 40000), "logic");
  }

  private Map<String, String> nextRun() throws InterruptedException {
    Map<String, String> env = runs.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(env).as("a hook run").isNotNull();
    return env;
  }

  @Test
  void change_runsTheHookWithWhatJoinedAndLeft_andTheBaseEnvironment() throws Exception {
    try (ChangeHook hook = new ChangeHook(env -> {
      runs.add(env);
      return new Outcome(Outcome.Kind.EXITED, 0, "");
    }, List.of(A, B), Map.of("BOXER_PEERS_FILE", "/run/peers"), Duration.ZERO)) {
      hook.changed(List.of(A, C));

      Map<String, String> env = nextRun();
      assertThat(env).containsEntry("BOXER_JOINED", "3 198.18.0.103 logic\n")
          .containsEntry("BOXER_LEFT", "2 198.18.0.102 logic\n")
          .containsEntry("BOXER_MEMBERS", "2")
          .containsEntry("BOXER_PEERS_FILE", "/run/peers");
    }
  }

  @Test
  void burstWhileARunIsBusy_becomesOneMoreRun_neverTwoAtOnce() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostAtOnce = new AtomicInteger();
    try (ChangeHook hook = new ChangeHook(env -> {
      mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
      runs.add(env);
      release.await();
      running.decrementAndGet();
      return new Outcome(Outcome.Kind.EXITED, 0, "");
    }, List.of(A), Map.of(), Duration.ZERO)) {
      hook.changed(List.of(A, B));
      assertThat(nextRun()).containsEntry("BOXER_JOINED", "2 198.18.0.102 logic\n");

      // the first run still runs: these three fold into the next one
      hook.changed(List.of(A, B, C));
      hook.changed(List.of(B, C));
      hook.changed(List.of(B, C, D));
      release.countDown();

      Map<String, String> second = nextRun();
      assertThat(second).containsEntry("BOXER_JOINED", "3 198.18.0.103 logic\n4 198.18.0.104 logic\n")
          .containsEntry("BOXER_LEFT", "1 198.18.0.101 logic\n")
          .containsEntry("BOXER_MEMBERS", "3");
    }
    assertThat(runs).isEmpty();
    assertThat(mostAtOnce.get()).isEqualTo(1);
  }

  @Test
  void aMemberThatJoinedAndLeftWithinABurst_runsNothing_butTheNextChangeDoes() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (ChangeHook hook = new ChangeHook(env -> {
      runs.add(env);
      release.await();
      return new Outcome(Outcome.Kind.EXITED, 0, "");
    }, List.of(A), Map.of(), Duration.ZERO)) {
      hook.changed(List.of(A, B));
      nextRun();
      hook.changed(List.of(A, B, C));
      hook.changed(List.of(A, B));
      release.countDown();
      hook.awaitHandled();
      hook.changed(List.of(B));

      assertThat(nextRun()).containsEntry("BOXER_JOINED", "").containsEntry("BOXER_LEFT", "1 198.18.0.101 logic\n");
    }
    assertThat(runs).isEmpty();
  }

  @Test
  void failedRun_isNotFatal_theNextChangeRunsAgain() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (ChangeHook hook = new ChangeHook(env -> {
      runs.add(env);
      return calls.incrementAndGet() == 1
          ? new Outcome(Outcome.Kind.TIMED_OUT, -1, "killed")
          : new Outcome(Outcome.Kind.EXITED, 3, "");
    }, List.of(A), Map.of(), Duration.ZERO)) {
      hook.changed(List.of(A, B));
      nextRun();
      hook.changed(List.of(A, B, C));
      nextRun();
      hook.changed(List.of(A));

      assertThat(nextRun()).containsEntry("BOXER_LEFT", "2 198.18.0.102 logic\n3 198.18.0.103 logic\n");
    }
  }

  @Test
  void close_interruptsARunningHook() throws Exception {
    CountDownLatch interrupted = new CountDownLatch(1);
    ChangeHook hook = new ChangeHook(env -> {
      runs.add(env);
      try {
        new CountDownLatch(1).await();
      } finally {
        interrupted.countDown();
      }
      return new Outcome(Outcome.Kind.EXITED, 0, "");
    }, List.of(A), Map.of(), Duration.ZERO);
    hook.changed(List.of(A, B));
    nextRun();

    hook.close();

    assertThat(interrupted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
  }
}
