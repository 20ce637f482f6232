package io.boxer.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ForwardedSignalTest {

  @Test
  void numbers_areThePosixOnes() {
    assertThat(ForwardedSignal.HUP.number()).isEqualTo(1);
    assertThat(ForwardedSignal.INT.number()).isEqualTo(2);
    assertThat(ForwardedSignal.QUIT.number()).isEqualTo(3);
    assertThat(ForwardedSignal.TERM.number()).isEqualTo(15);
  }

  @Test
  void exitCode_is128PlusTheNumber() {
    assertThat(ForwardedSignal.HUP.exitCode()).isEqualTo(129);
    assertThat(ForwardedSignal.INT.exitCode()).isEqualTo(130);
    assertThat(ForwardedSignal.QUIT.exitCode()).isEqualTo(131);
    assertThat(ForwardedSignal.TERM.exitCode()).isEqualTo(143);
  }

  @Test
  void ofNumber_findsForwardedSignalsOnly() {
    assertThat(ForwardedSignal.ofNumber(3)).contains(ForwardedSignal.QUIT);
    assertThat(ForwardedSignal.ofNumber(15)).contains(ForwardedSignal.TERM);
    assertThat(ForwardedSignal.ofNumber(9)).isEmpty();
    assertThat(ForwardedSignal.ofNumber(0)).isEmpty();
  }

  @Test
  void fullName_hasTheSigPrefix() {
    assertThat(ForwardedSignal.QUIT.fullName()).isEqualTo("SIGQUIT");
  }
}
