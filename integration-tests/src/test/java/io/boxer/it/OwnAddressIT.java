package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.examples.echo.EchoClient;
import io.boxer.examples.ownaddress.AdvertisementCaller;
import io.boxer.examples.ownaddress.CheckedBindServer;
import io.boxer.examples.ownaddress.LocalHostAdvertiser;
import io.boxer.netlab.HostProcess;
import io.boxer.netlab.LabSpec;
import io.boxer.netlab.NatProfile;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A truthful execution environment (issue 10, item 3), through the real {@code bin/boxer} in one lab of four
 * functions behind their NATs: under {@code boxer run}, the node's external address is one of the machine's own
 * for the application, so a server that checks its configured bind address as clustering libraries do starts
 * with the external address, and a member that advertises {@code InetAddress.getLocalHost()} advertises an
 * address its peer reaches. The checked server runs on JDK 17, the advertiser on JDK 25.
 */
@Tag("lab")
class OwnAddressIT {
  private static final Duration START = Duration.ofSeconds(60);
  /** The clients' connect timeout: generous, as a first prime on a loaded 2-core host can take seconds. */
  private static final String CONNECT_TIMEOUT_MS = "20000";
  private static BoxerLab lab;

  @BeforeAll
  static void startLab() throws Exception {
    lab = BoxerLab.start(LabSpec.builder().functions(4).vms(0).profile(NatProfile.LAMBDA).build(),
        Path.of(System.getProperty("boxer.jdk17.java", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java")));
  }

  @AfterAll
  static void stopLab() throws Exception {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void serverConfiguredWithTheExternalAddress_passesTheBindAddressCheck_andServesThroughTheNat() throws Exception {
    HostProcess server = lab.run("fn1-checked-server", lab.host("fn1"), null, CheckedBindServer.class,
        external("fn1"), "5000");
    server.awaitLine(l -> l.equals("listening on " + external("fn1") + ":5000"), START);

    HostProcess client = lab.run("fn2-client", lab.host("fn2"), 2, EchoClient.class, external("fn1"), "5000",
        "hello-checked", CONNECT_TIMEOUT_MS);

    assertThat(client.awaitExit(START)).as(client.output()).isZero();
    assertThat(client.output()).contains("reply: echo hello-checked from " + external("fn2") + ":");
  }

  @Test
  void memberAdvertisingItsLocalHost_advertisesItsExternalAddress_whichThePeerReaches() throws Exception {
    Path jdk25 = Path.of(System.getProperty("boxer.jdk25.java", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));
    Path examples = lab.file("examples/target/boxer-examples.jar");
    HostProcess caller = lab.run("fn3-caller", lab.host("fn3"), null, jdk25, examples,
        AdvertisementCaller.class.getName(), "6000", "hello-advertised", CONNECT_TIMEOUT_MS);
    caller.awaitLine(l -> l.equals("listening on 6000"), START);

    HostProcess advertiser = lab.run("fn4-advertiser", lab.host("fn4"), 2, jdk25, examples,
        LocalHostAdvertiser.class.getName(), external("fn3"), "6000", "5001");

    assertThat(caller.awaitExit(START)).as(caller.output() + "\n--- advertiser:\n" + advertiser.output()).isZero();
    assertThat(caller.output()).contains("advertised " + external("fn4") + ":5001")
        .contains("reply: echo hello-advertised from " + external("fn3") + ":");
  }

  private static String external(String host) {
    return lab.host(host).externalAddress().getHostAddress();
  }
}
