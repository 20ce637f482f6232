package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.examples.echo.ConnectModes;
import io.boxer.examples.echo.EchoClient;
import io.boxer.examples.echo.EchoServer;
import io.boxer.netlab.HostProcess;
import io.boxer.netlab.LabSpec;
import io.boxer.netlab.NatProfile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Unmodified echo programs under {@code boxer run} talk directly through the NATs ({@code lambda} profile):
 * written once, run per JDK by the subclasses. Servers run on fn2 (behind a NAT) and vm1 (public); each
 * client runs on a host of its own, so no two nodes share an external address by accident. One lab per
 * class.
 */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EchoBehaviour {
  private static final Duration START = Duration.ofSeconds(60);
  private static final String PORT = "5000";
  private BoxerLab lab;

  /** The java binary the example programs run on. */
  abstract Path appJava();

  /** Function hosts fn7.. run one socket API each, in this order. */
  private static final List<String> MODES = List.of("socket", "channel", "adaptor", "nonblocking", "async");

  @BeforeAll
  void startLabAndServers() throws Exception {
    lab = BoxerLab.start(LabSpec.builder().functions(12).vms(2).profile(NatProfile.LAMBDA).build(), appJava());
    HostProcess fnServer = lab.run("fn2-server", lab.host("fn2"), null, EchoServer.class, PORT);
    HostProcess vmServer = lab.run("vm1-server", lab.host("vm1"), null, EchoServer.class, PORT);
    fnServer.awaitLine(l -> l.equals("listening on " + PORT), START);
    vmServer.awaitLine(l -> l.equals("listening on " + PORT), START);
  }

  @AfterAll
  void stopLab() throws Exception {
    if (lab != null) {
      lab.close();
    }
  }
  @Test
  void functionToFunction_echoesDirectlyThroughBothNats() throws Exception {
    assertEchoesDirectly("fn1", "fn2");
  }

  @Test
  void vmToFunction_echoesThroughTheFunctionsNat() throws Exception {
    assertEchoesDirectly("vm2", "fn2");
  }

  @Test
  void functionToVm_echoes() throws Exception {
    assertEchoesDirectly("fn3", "vm1");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"socket", "channel", "adaptor", "nonblocking", "async"})
  void everyJdkSocketApi_echoesDirectlyThroughBothNats(String mode) throws Exception {
    String host = "fn" + (7 + MODES.indexOf(mode));
    HostProcess client = lab.run(host + "-" + mode, lab.host(host), 3, ConnectModes.class,
        mode, external("fn2"), PORT, mode + "-hello");

    assertThat(client.awaitExit(START)).as(client.output()).isZero();
    assertThat(client.output()).contains("reply: echo " + mode + "-hello from " + external(host) + ":");
  }

  /**
   * Runs the echo client under boxer on {@code clientHost} against the server on {@code serverHost} and checks
   * that the server saw the client's own external address: the connection came straight from the client's
   * NAT (or host), not through a relay.
   */
  private void assertEchoesDirectly(String clientHost, String serverHost) throws Exception {
    String message = "hello-from-" + clientHost;
    HostProcess client = lab.run(clientHost + "-client", lab.host(clientHost), 3, EchoClient.class,
        external(serverHost), PORT, message);

    assertThat(client.awaitExit(START)).as(client.output()).isZero();
    assertThat(client.output()).contains("reply: echo " + message + " from " + external(clientHost) + ":");
  }

  @Test
  void withoutBoxer_theSameClientCannotReachTheFunction() throws Exception {
    // fn6 never ran a Boxer node, so nothing was ever primed for it
    HostProcess client = lab.runWithoutBoxer("fn6-plain-client", lab.host("fn6"), EchoClient.class,
        external("fn2"), PORT, "hello", "3000");

    // exit 4 = connect timed out: fn2's NAT silently drops the unsolicited SYN
    assertThat(client.awaitExit(START)).as(client.output()).isEqualTo(4);
  }

  @Test
  void connectToPortWithoutListener_isRefusedWithinTwoSeconds() throws Exception {
    HostProcess client = lab.run("fn4-client", lab.host("fn4"), 3, EchoClient.class,
        external("fn2"), "5999", "nobody-home", "10000");

    assertThat(client.awaitExit(START)).as(client.output()).isEqualTo(3);
    Matcher refused = Pattern.compile("refused after (\\d+) ms: Connection refused").matcher(client.output());
    assertThat(refused.find()).as(client.output()).isTrue();
    assertThat(Long.parseLong(refused.group(1))).isLessThan(2000);
  }

  BoxerLab lab() {
    return lab;
  }

  String external(String host) {
    return lab.host(host).externalAddress().getHostAddress();
  }
}
