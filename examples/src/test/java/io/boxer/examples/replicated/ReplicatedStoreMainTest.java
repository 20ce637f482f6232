package io.boxer.examples.replicated;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command as boxer runs it: a forked JVM with the environment of {@code boxer run}. */
class ReplicatedStoreMainTest {
  @TempDir Path dir;
  private Process process;

  @AfterEach
  void tearDown() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  private Process startMain(String... args) throws IOException {
    Path peers = Files.writeString(dir.resolve("peers"), "1 127.0.0.1 replica\n");
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), ReplicatedStore.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
    builder.environment().put("BOXER_NODE_ID", "1");
    builder.environment().put("BOXER_PEERS_FILE", peers.toString());
    process = builder.start();
    return process;
  }

  private static int freePort() throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return probe.getLocalPort();
    }
  }

  @Test
  void main_onSigterm_stopsWithExitCodeZero() throws Exception {
    int port = freePort();
    Process store = startMain("--replicas", "1", "--port", String.valueOf(port));
    BufferedReader stdout = new BufferedReader(new InputStreamReader(store.getInputStream(), StandardCharsets.UTF_8));

    assertThat(stdout.readLine()).isEqualTo("replicated-store listening port=" + port + " id=1 role=primary");
    store.destroy(); // SIGTERM

    assertThat(store.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(store.exitValue()).isZero();
  }

  @Test
  void main_afterExitAfterSeconds_stopsWithExitCodeZero() throws Exception {
    Process store = startMain("--replicas", "1", "--port", String.valueOf(freePort()), "--exit-after-seconds", "1");

    assertThat(store.waitFor(15, TimeUnit.SECONDS)).isTrue();
    assertThat(store.exitValue()).isZero();
  }

  @Test
  void main_usageError_exitsTwo() throws Exception {
    Process store = startMain("--replicas", "1", "--port", "70000");

    assertThat(store.waitFor(15, TimeUnit.SECONDS)).isTrue();
    assertThat(store.exitValue()).isEqualTo(2);
  }
}
