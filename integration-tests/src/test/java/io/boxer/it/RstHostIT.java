package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.examples.echo.EchoClient;
import io.boxer.examples.echo.EchoServer;
import io.boxer.netlab.HostProcess;
import io.boxer.netlab.LabSpec;
import io.boxer.netlab.VmFirewall;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A VM without a firewall answers the function node's priming SYN with a RST, which tears down the fresh state in
 * the function's NAT: a direct connect from the VM to the function would time out (docs/relay.md, "Hosts that
 * answer with RST"). The seed finds such a member when it joins and marks it; the function's node dials its control
 * link to the VM instead of priming toward it (the mesh forms: the barrier passes), and the VM's node relays the
 * application's connection to the function. One lab (one function, one VM without a firewall), two
 * {@code boxer run}s. Without the control-link rule the barrier times out; without the relay rule the echo client's
 * connect times out (both seen once by disabling the rule).
 */
@Tag("lab")
class RstHostIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final String ECHO_PORT = "7000";

  @Test
  void vmWithoutFirewall_reachesAFunction() throws Exception {
    LabSpec spec = LabSpec.builder().functions(1).vms(1).vmFirewall(VmFirewall.NONE).build();
    try (BoxerLab lab = BoxerLab.start(spec)) {
      HostProcess server = lab.run("fn1-echo-server", lab.host("fn1"), null, EchoServer.class, ECHO_PORT);
      server.awaitLine(l -> l.equals("listening on " + ECHO_PORT), START);
      // 10 s: a direct connect whose NAT state the RST tore down never completes; a relayed one takes milliseconds
      HostProcess client = lab.run("vm1-echo-client", lab.host("vm1"), 2, EchoClient.class,
          lab.host("fn1").externalAddress().getHostAddress(), ECHO_PORT, "from-an-open-vm", "10000");

      assertThat(client.awaitExit(START)).as(client.output()).isZero();
      assertThat(client.output()).contains("reply: echo from-an-open-vm").contains("members ready 2/2");
      // relayed: the relay's far end connects the server from its own host
      assertThat(server.output()).contains("accepted 127.0.0.1:");
    }
  }
}
