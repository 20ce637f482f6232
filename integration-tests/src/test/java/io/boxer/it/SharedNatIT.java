package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.boxer.examples.echo.EchoClient;
import io.boxer.examples.echo.EchoServer;
import io.boxer.netlab.HostProcess;
import io.boxer.netlab.LabSpec;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two functions behind one NAT router (issue 10, item 5; docs/relay.md, "Several functions behind one NAT"): both
 * join (the seed used to refuse the second), both serve the same port, and clients on another function and on a VM
 * reach each at the address the peers file lists for it: the first at the NAT's address, directly, the second at
 * the virtual address the seed gave it, through the relay. One lab (fn1 and fn2 behind nat1, fn3 behind nat2, one
 * VM), four {@code boxer run}s.
 */
@Tag("lab")
class SharedNatIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final String ECHO_PORT = "7000";

  @Test
  void twoFunctionsBehindOneNat_bothServeOnePort_andClientsReachEachAtItsListedAddress() throws Exception {
    LabSpec spec = LabSpec.builder().functions(3).functionsPerNat(2).vms(1).build();
    try (BoxerLab lab = BoxerLab.start(spec)) {
      String nat = lab.host("fn1").externalAddress().getHostAddress();
      assertThat(lab.host("fn2").externalAddress().getHostAddress()).isEqualTo(nat);
      HostProcess first = lab.run("fn1-echo-server", lab.host("fn1"), null, EchoServer.class, ECHO_PORT);
      first.awaitLine(l -> l.equals("listening on " + ECHO_PORT), START);
      HostProcess second = lab.run("fn2-echo-server", lab.host("fn2"), null, EchoServer.class, ECHO_PORT);
      second.awaitLine(l -> l.equals("listening on " + ECHO_PORT), START);

      // the seed knows the first by the NAT's address and the second by a virtual one from its range
      List<JsonObject> members = lab.seedStatus(START).getAsJsonArray("members").asList().stream()
          .map(JsonElement::getAsJsonObject).toList();
      assertThat(members).hasSize(2);
      assertThat(members.get(0).get("address").getAsString()).isEqualTo(nat);
      assertThat(members.get(0).get("virtualAddress").getAsBoolean()).isFalse();
      String virtual = members.get(1).get("address").getAsString();
      assertThat(members.get(1).get("virtualAddress").getAsBoolean()).isTrue();
      assertThat(virtual).startsWith(BoxerLab.VIRTUAL_RANGE.substring(0, BoxerLab.VIRTUAL_RANGE.lastIndexOf('.') + 1));

      // fn3 (another NAT) prints its peers file, then reaches each server at its listed address; vm1 reaches the
      // second at once (a VM's connect to a function needs that function's prime, or here the relay)
      String clients = String.join(" ", lab.java(EchoClient.class, nat, ECHO_PORT, "to-fn1", "20000")) + " && "
          + String.join(" ", lab.java(EchoClient.class, virtual, ECHO_PORT, "to-fn2", "20000"));
      HostProcess fromFn3 = lab.start("fn3-echo-clients", lab.host("fn3"), List.of("run", "--seed", lab.seedAddress(),
          "--members", "4", "--", "sh", "-c", "sed 's/^/PEER /' \"$BOXER_PEERS_FILE\" && " + clients));
      HostProcess fromVm = lab.run("vm1-echo-client", lab.host("vm1"), 4, EchoClient.class, virtual, ECHO_PORT,
          "vm-to-fn2", "20000");

      assertThat(fromFn3.awaitExit(START)).as(fromFn3.output()).isZero();
      assertThat(fromVm.awaitExit(START)).as(fromVm.output()).isZero();
      assertThat(fromFn3.output())
          .contains("PEER " + members.get(0).get("id").getAsLong() + " " + nat + " member")
          .contains("PEER " + members.get(1).get("id").getAsLong() + " " + virtual + " member")
          // directly: fn1 sees fn3's NAT; relayed: the relay's far end connects fn2's server from fn2's own host
          .contains("reply: echo to-fn1 from " + lab.host("fn3").externalAddress().getHostAddress() + ":")
          .contains("reply: echo to-fn2 from 127.0.0.1:");
      assertThat(fromVm.output()).contains("reply: echo vm-to-fn2 from 127.0.0.1:");
      // each connection reached the server it was meant for: fn1 accepted only fn3's direct one
      assertThat(first.output()).contains("accepted " + lab.host("fn3").externalAddress().getHostAddress() + ":")
          .doesNotContain("accepted 127.0.0.1:");
      assertThat(second.output().lines().filter(l -> l.startsWith("accepted 127.0.0.1:")).count()).isEqualTo(2);
    }
  }
}
