package io.boxer.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The native SIGQUIT handler in this test JVM (installed once for the JVM's life, as in boxer): SIGQUIT reaches
 * Java, and jcmd can still attach, which needs HotSpot's own SIGQUIT handler.
 */
class NativeSignalsTest {
  private static final long PID = ProcessHandle.current().pid();
  @TempDir Path scratch;
  private final BlockingQueue<ForwardedSignal> received = new LinkedBlockingQueue<>();

  @Test
  void libraryName_namesThisPlatform() {
    assertThat(NativeSignals.libraryName()).isEqualTo("libboxersignals-linux-" + System.getProperty("os.arch") + ".so");
  }

  @Test
  void sigquit_reachesTheListener() throws Exception {
    NativeSignals.listenForQuit(scratch, received::add);

    assertThat(new ProcessBuilder("kill", "-s", "QUIT", Long.toString(PID)).start().waitFor()).isZero();

    assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(ForwardedSignal.QUIT);
    assertThat(scratch).isEmptyDirectory(); // the copy of the library is deleted once loaded
  }

  @Test
  void jcmd_canStillAttach_becauseTheAttachTriggerGoesToHotSpot() throws Exception {
    NativeSignals.listenForQuit(scratch, received::add);
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");

    Process attach = new ProcessBuilder(List.of(jcmd.toString(), "-J-Dsun.tools.attach.attachTimeout=5000",
        Long.toString(PID), "VM.version")).redirectErrorStream(true).start();

    assertThat(attach.waitFor(30, TimeUnit.SECONDS)).isTrue();
    String output = new String(attach.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(attach.exitValue()).as(output).isZero();
    assertThat(output).contains("JDK");
    assertThat(received).as("the attach trigger is not forwarded").isEmpty();
  }
}
