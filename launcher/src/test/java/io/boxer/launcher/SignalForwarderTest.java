package io.boxer.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SignalForwarderTest {
  private final List<List<String>> kills = new ArrayList<>();
  private final CountDownLatch interrupted = new CountDownLatch(1);
  private final Thread main = new Thread(() -> {
    try {
      Thread.sleep(30_000);
    } catch (InterruptedException e) {
      interrupted.countDown();
    }
  });
  private final SignalForwarder forwarder = new SignalForwarder(main);

  /** A group whose kill(1) records what it was asked and always succeeds. */
  private ProcessGroup group(long id) {
    return new ProcessGroup(id, () -> true, Path.of("kill"), command -> {
      synchronized (kills) {
        kills.add(command);
      }
      return 0;
    }, g -> 1);
  }

  @AfterEach
  void stopMain() throws InterruptedException {
    main.interrupt();
    main.join(5000);
  }

  @Test
  void signalBeforeTheCommand_interruptsMain_andDecidesTheExitCode() throws Exception {
    main.start();

    forwarder.onSignal(ForwardedSignal.HUP);
    forwarder.onSignal(ForwardedSignal.TERM);

    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
    assertThat(forwarder.stoppedBy()).contains(ForwardedSignal.HUP);
    assertThat(forwarder.beginChild()).as("the command must not start").contains(ForwardedSignal.HUP);
    assertThat(kills).isEmpty();
  }

  @Test
  void signalWhileTheCommandStarts_isHeld_andForwardedOnAttach() {
    assertThat(forwarder.beginChild()).isEmpty();

    forwarder.onSignal(ForwardedSignal.INT);
    forwarder.onSignal(ForwardedSignal.QUIT);
    assertThat(kills).isEmpty();
    forwarder.attach(group(4711));

    assertThat(kills).containsExactly(
        List.of("kill", "-s", "INT", "--", "-4711"),
        List.of("kill", "-s", "QUIT", "--", "-4711"));
    assertThat(forwarder.stoppedBy()).isEmpty();
    assertThat(main.isInterrupted()).isFalse();
  }

  @Test
  void everySignalAfterAttach_goesToTheWholeGroup() {
    forwarder.beginChild();
    forwarder.attach(group(99));

    for (ForwardedSignal signal : ForwardedSignal.values()) {
      forwarder.onSignal(signal);
    }

    assertThat(kills).containsExactly(
        List.of("kill", "-s", "HUP", "--", "-99"),
        List.of("kill", "-s", "INT", "--", "-99"),
        List.of("kill", "-s", "QUIT", "--", "-99"),
        List.of("kill", "-s", "TERM", "--", "-99"));
    assertThat(forwarder.lastForwarded()).contains(ForwardedSignal.TERM);
    assertThat(forwarder.stoppedBy()).isEmpty();
  }
}
