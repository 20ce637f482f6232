package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.boxer.examples.echo.EchoClient;
import io.boxer.examples.echo.EchoServer;
import io.boxer.netlab.HostProcess;
import io.boxer.netlab.LabSpec;
import io.boxer.netlab.NatProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Where no direct path exists, Boxer relays through the seed, transparently: behind {@code strict} NATs (a primed
 * connect's SYN-ACK is dropped as INVALID) and {@code symmetric} ones (external ports are unpredictable; the seed
 * admits such members relay-only), the control mesh forms (the barrier passes), an unmodified echo client and an
 * unmodified gRPC client (Netty's epoll transport) reach their servers on other functions by the servers' external
 * addresses. Control links are direct where a TCP simultaneous open passes ({@code strict}: {@code boxer status}
 * shows them {@code simultaneous_open}) and relayed elsewhere; the nodes' later check of a primed connect
 * (PrimedPathCheck) finds that it does not get through, so application connects stay relayed. One lab per
 * profile, four functions each. The
 * {@code lambda} profile stays direct: StatusIT and EchoBehaviour check that.
 */
@Tag("lab")
class RelayIT {
  private static final Duration START = Duration.ofSeconds(90);
  private static final String ECHO_PORT = "7000";
  private static final String GRPC_PORT = "50051";
  private static final String GRPC = "io.boxer.examples.grpc.";

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = NatProfile.class, names = {"STRICT", "SYMMETRIC"})
  void noDirectPath_meshAndAppConnectionsGoThroughTheRelay(NatProfile profile) throws Exception {
    try (BoxerLab lab = BoxerLab.start(LabSpec.builder().functions(4).vms(0).profile(profile).build())) {
      Path grpcJar = lab.file("examples-grpc/target/boxer-examples-grpc.jar");
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      // the servers listen as soon as their nodes joined; the clients start once all four are meshed
      HostProcess echoServer = lab.run("fn1-echo-server", lab.host("fn1"), null, EchoServer.class, ECHO_PORT);
      HostProcess grpcServer = lab.run("fn2-grpc-server", lab.host("fn2"), null, java, grpcJar, GRPC + "HealthServer",
          GRPC_PORT);
      echoServer.awaitLine(l -> l.equals("listening on " + ECHO_PORT), START);
      grpcServer.awaitLine(l -> l.equals("listening on " + GRPC_PORT), START);
      HostProcess echoClient = lab.run("fn3-echo-client", lab.host("fn3"), 4, EchoClient.class,
          external(lab, "fn1"), ECHO_PORT, "through-the-relay", "20000");
      HostProcess grpcClient = lab.run("fn4-grpc-client", lab.host("fn4"), 4, java, grpcJar, GRPC + "HealthClient",
          external(lab, "fn2"), GRPC_PORT, "20000");

      assertThat(echoClient.awaitExit(START)).as(echoClient.output()).isZero();
      // the relay's far end connects the server from its own host: the server sees a loopback peer
      assertThat(echoClient.output()).contains("reply: echo through-the-relay from 127.0.0.1:");
      assertThat(echoServer.output()).contains("accepted 127.0.0.1:");
      assertThat(grpcClient.awaitExit(START)).as(grpcClient.output()).isZero();
      assertThat(grpcClient.output()).contains("epoll: true").contains("status: SERVING");
      for (HostProcess client : List.of(echoClient, grpcClient)) {
        assertThat(client.output()).as(client.name()).contains("members ready 4/4");
      }

      // the two servers' nodes are still members: the seed's view shows their control link, opened simultaneously
      // from both ends behind strict NATs (their primed dial failed; application connections are relayed, above),
      // relayed behind port-randomizing ones
      JsonObject doc = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
          .until(() -> lab.seedStatus(START), d -> linkBetween(d, external(lab, "fn1"), external(lab, "fn2")).isPresent());
      assertThat(linkBetween(doc, external(lab, "fn1"), external(lab, "fn2")).orElseThrow().get("path").getAsString())
          .isEqualTo(profile == NatProfile.STRICT ? "simultaneous_open" : "relayed");

      // the nodes check whether primed connects get through after all (a lost SYN fails a primed dial too): not
      // behind NATs that track sequence windows, however fast the check (PrimedPathCheck.CONNECT_AFTER), and never
      // tried toward relay-only members
      if (profile == NatProfile.STRICT) {
        echoServer.awaitLine(l -> l.contains("Primed connects to the member do not get through"), START);
      }
      for (HostProcess process : List.of(echoServer, grpcServer, echoClient, grpcClient)) {
        assertThat(process.output()).as(process.name()).doesNotContain("A primed connect to the member got through");
      }
    }
  }

  /** fn1's reported link to the member at {@code to}, once it is up. */
  private static Optional<JsonObject> linkBetween(JsonObject doc, String from, String to) {
    List<JsonObject> members = doc.getAsJsonArray("members").asList().stream().map(JsonElement::getAsJsonObject)
        .toList();
    Optional<Long> toId = members.stream().filter(m -> m.get("address").getAsString().equals(to))
        .map(m -> m.get("id").getAsLong()).findFirst();
    return members.stream().filter(m -> m.get("address").getAsString().equals(from) && m.has("links"))
        .flatMap(m -> m.getAsJsonArray("links").asList().stream().map(JsonElement::getAsJsonObject))
        .filter(l -> toId.isPresent() && l.get("peer").getAsLong() == toId.get()
            && l.get("state").getAsString().equals("up"))
        .findFirst();
  }

  private static String external(BoxerLab lab, String host) {
    return lab.host(host).externalAddress().getHostAddress();
  }
}
