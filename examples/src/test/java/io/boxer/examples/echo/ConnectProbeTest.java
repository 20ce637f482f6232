package io.boxer.examples.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class ConnectProbeTest {

  @Test
  void printsTheCpuPerConnectOfItselfAndOfTheNamedProcesses() throws Exception {
    String out;
    try (ServerSocket server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress())) {
      Thread acceptor = new Thread(() -> {
        try {
          while (true) {
            Socket accepted = server.accept();
            accepted.close();
          }
        } catch (IOException e) {
          // the server closed: the test is over
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
      out = runMain("127.0.0.1", String.valueOf(server.getLocalPort()), "200", "5", "0",
          "me=" + ProcessHandle.current().pid() + ",up=parent");
    }

    assertThat(out).startsWith("connects=200 p50_us=");
    // this test's own JVM, under two names: both saw the same connects' CPU, and some was used
    long self = field(out, "cpu_us_self");
    long me = field(out, "cpu_us_me");
    assertThat(self).isPositive();
    assertThat(Math.abs(self - me)).isLessThanOrEqualTo(Math.max(50, self / 2));
    assertThat(field(out, "cpu_us_up")).isNotNegative();
  }

  @Test
  void withoutCpuOf_onlyItsOwnCpuIsCounted() {
    Map<String, ProcessHandle> processes = ConnectProbe.cpuOf("");

    assertThat(processes).containsOnlyKeys("self");
    assertThat(processes.get("self").pid()).isEqualTo(ProcessHandle.current().pid());
  }

  @Test
  void parent_isThisJvmsParent() {
    Map<String, ProcessHandle> processes = ConnectProbe.cpuOf("nodeA=parent");

    assertThat(processes.get("nodeA").pid()).isEqualTo(ProcessHandle.current().parent().orElseThrow().pid());
  }

  @Test
  void malformedOrUnknownProcesses_areClearErrors() {
    assertThatThrownBy(() -> ConnectProbe.cpuOf("self=parent")).hasMessageContaining("CPU_OF : 'self=parent'");
    assertThatThrownBy(() -> ConnectProbe.cpuOf("a=parent,a=parent")).hasMessageContaining("each once");
    assertThatThrownBy(() -> ConnectProbe.cpuOf("1a=parent")).hasMessageContaining("CPU_OF : '1a=parent'");
    assertThatThrownBy(() -> ConnectProbe.cpuOf("nodeB")).hasMessageContaining("CPU_OF : 'nodeB'");
    assertThatThrownBy(() -> ConnectProbe.cpuOf("nodeB=x")).hasMessageContaining("PID 'x'");
    assertThatThrownBy(() -> ConnectProbe.cpuOf("nodeB=" + Long.MAX_VALUE)).hasMessageContaining("no such process");
  }

  @Test
  void tooManyArguments_areAUsageError() {
    assertThatThrownBy(() -> ConnectProbe.main(new String[] {"h", "1", "1", "0", "0", "", "extra"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: HOST PORT COUNT [WARMUP [PAUSE_MS [CPU_OF]]]");
  }

  private static String runMain(String... args) throws IOException {
    PrintStream old = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      ConnectProbe.main(args);
    } finally {
      System.setOut(old);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static long field(String line, String name) {
    Matcher m = Pattern.compile("\\b" + name + "=(\\d+)").matcher(line);
    assertThat(m.find()).as(name + " in " + line).isTrue();
    return Long.parseLong(m.group(1));
  }
}
