package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.examples.echo.ConnectLoop;
import io.boxer.examples.echo.EchoServer;
import io.boxer.netlab.HostProcess;
import io.boxer.netlab.LabHost;
import io.boxer.netlab.LabSpec;
import io.boxer.netlab.NatProfile;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One lost SYN does not relay a pair of members for good. Behind {@code lambda} NATs fn2's primed dial of fn1's
 * control port loses its only SYN (fn1's NAT drops the first SYN toward that port, once, by an iptables quota), so
 * the control link opens simultaneously, and application connects would go through the seed's relay for as long
 * as it lives. The node then checks whether a primed connect gets through (docs/relay.md): it does here, and
 * fn2's connects to fn1's echo server go direct: the server sees fn2's external address, not the relay's loopback
 * end. Without the check every echo comes from 127.0.0.1.
 */
@Tag("lab")
class PrimedPathIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final String PORT = "5000";
  private static final Pattern CONTROL_PORT = Pattern.compile("Joined the cluster\\..* controlPort=(\\d+)");

  @Test
  void primedDialThatLostItsSyn_isCheckedAgain_andAppConnectsGoDirect() throws Exception {
    try (BoxerLab lab = BoxerLab.start(LabSpec.builder().functions(2).vms(0).profile(NatProfile.LAMBDA).build())) {
      LabHost fn1 = lab.host("fn1");
      HostProcess server = lab.run("fn1-server", fn1, null, EchoServer.class, PORT);
      Matcher joined = CONTROL_PORT.matcher(server.awaitLine(l -> CONTROL_PORT.matcher(l).find(), START));
      assertThat(joined.find()).isTrue();
      // fn1 has joined (the seed's probe of its control port has passed): the next SYN toward that port is fn2's
      // primed dial; one SYN of about 60 bytes fits the quota, the next does not
      run(fn1.natCommand(List.of("iptables", "-I", "FORWARD", "1", "-p", "tcp", "--syn",
          "-d", fn1.address().getHostAddress(), "--dport", joined.group(1),
          "-m", "quota", "--quota", "100", "-j", "DROP")));
      server.awaitLine(l -> l.equals("listening on " + PORT), START);

      String fn2External = lab.host("fn2").externalAddress().getHostAddress();
      HostProcess client = lab.run("fn2-client", lab.host("fn2"), 2, ConnectLoop.class,
          fn1.externalAddress().getHostAddress(), PORT, "250", "12", "5000");

      client.awaitLine(l -> l.contains("Primed dial to member failed; opening simultaneously."), START);
      client.awaitLine(l -> l.contains("A primed connect to the member got through"), START);
      assertThat(client.awaitExit(START)).as(client.output()).isZero();
      List<String> attempts = client.output().lines().filter(l -> l.startsWith("attempt ")).toList();
      assertThat(attempts).as(client.output()).isNotEmpty().allMatch(l -> l.contains(" ok echo ping from "));
      // connects before the check was done may have gone through the relay; the last ones go direct
      assertThat(attempts.get(attempts.size() - 1)).as(client.output()).contains("from " + fn2External + ":");
    }
  }

  private static void run(List<String> command) throws Exception {
    Process process = new ProcessBuilder(command).inheritIO().start();
    assertThat(process.waitFor()).as(String.join(" ", command)).isZero();
  }
}
