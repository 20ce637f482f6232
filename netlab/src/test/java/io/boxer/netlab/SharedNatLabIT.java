package io.boxer.netlab;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxer.netlab.cli.LabCommand;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import picocli.CommandLine;

/**
 * Two function hosts behind one NAT router on the real kernel: one lab (lambda, 2 functions, 2 per NAT, 1 VM)
 * for the whole class, plus a second small one that the CLI test builds and tears down. Needs root; as
 * non-root every test fails at once with the precondition message.
 *
 * <p>Each test uses its own ports so conntrack state from one test cannot help another.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SharedNatLabIT {
  private static final Duration START = Duration.ofSeconds(10);
  /** Long enough for a SYN to cross a router many times over, short enough to keep the IT fast. */
  private static final int BLOCKED_CONNECT_MILLIS = 1500;

  private static Lab lab;

  @BeforeAll
  static void createLab() {
    LabPreconditions.checkThisProcess(); // a non-root run fails here, with what to do
    lab = Lab.create(LabSpec.builder().functions(2).functionsPerNat(2).vms(1).build());
  }

  @AfterAll
  static void closeLab() {
    if (lab != null) {
      lab.close();
      assertThat(namespacesOf(lab.runId())).as("namespaces left after close").isEmpty();
    }
  }

  private static List<String> namespacesOf(String runId) {
    return Lab.members(runId, new Namespaces(new CommandRunner(), LabTools.BARE).list());
  }

  @Test
  @Order(1)
  void oneRouter_servesBothFunctions() {
    String id = lab.runId();
    assertThat(namespacesOf(id)).containsExactlyInAnyOrder("boxer-" + id + "-pub", "boxer-" + id + "-seed",
        "boxer-" + id + "-vm1", "boxer-" + id + "-nat1", "boxer-" + id + "-fn1", "boxer-" + id + "-fn2");
    assertThat(lab.host("fn1").natNamespace()).contains("boxer-" + id + "-nat1");
    assertThat(lab.host("fn2").natNamespace()).contains("boxer-" + id + "-nat1");
  }

  @Test
  @Order(2)
  void bothFunctions_reachAVm_fromTheSameExternalAddress() throws Exception {
    LabHost vm1 = lab.host("vm1");
    lab.allowInboundTcp("vm1", 7500);
    lab.allowInboundTcp("vm1", 7501);
    try (HostProcess fromFn1 = Probes.start(vm1, "server", "7500", "20000");
        HostProcess fromFn2 = Probes.start(vm1, "server", "7501", "20000")) {
      fromFn1.awaitLine(l -> l.startsWith("LISTENING"), START);
      fromFn2.awaitLine(l -> l.startsWith("LISTENING"), START);
      String vm = vm1.address().getHostAddress();
      try (HostProcess c1 = Probes.start(lab.host("fn1"), "connect", vm, "7500", "7511", "5000");
          HostProcess c2 = Probes.start(lab.host("fn2"), "connect", vm, "7501", "7512", "5000")) {
        assertThat(c1.awaitExit(START)).as("fn1 client %s", c1.output()).isZero();
        assertThat(c2.awaitExit(START)).as("fn2 client %s", c2.output()).isZero();
      }
      // MASQUERADE on the one WAN: the VM sees both at nat1's address, each with its own source port.
      assertThat(fromFn1.awaitLine(l -> l.startsWith("PEER"), START)).isEqualTo("PEER 198.18.0.101:7511");
      assertThat(fromFn2.awaitLine(l -> l.startsWith("PEER"), START)).isEqualTo("PEER 198.18.0.101:7512");
    }
    assertThat(lab.host("fn1").externalAddress().getHostAddress()).isEqualTo("198.18.0.101");
    assertThat(lab.host("fn2").externalAddress()).isEqualTo(lab.host("fn1").externalAddress());
  }

  @Test
  @Order(3)
  void functionToFunction_overTheSharedRoutersLans_isDroppedSilently() throws Exception {
    LabHost fn2 = lab.host("fn2");
    try (HostProcess server = Probes.start(fn2, "server", "7520", "15000")) {
      server.awaitLine(l -> l.startsWith("LISTENING"), START);
      // fn2's private address, one hop away through nat1: LAN -> LAN is not forwarded (docs/design/nat-lab.md)
      try (HostProcess client = Probes.start(lab.host("fn1"), "connect",
          fn2.address().getHostAddress(), "7520", "0", Integer.toString(BLOCKED_CONNECT_MILLIS))) {
        assertThat(client.awaitLine(l -> true, START)).isEqualTo("TIMEOUT");
        assertThat(client.awaitExit(START)).isEqualTo(4);
      }
    }
  }

  @Test
  @Order(4)
  void attach_readsWhichRouterEachFunctionIsBehind() {
    Lab attached = Lab.attach(lab.runId()); // not closed: closing would destroy the shared lab
    assertThat(attached.spec()).map(LabSpec::functionsPerNat).contains(2);
    for (String fn : List.of("fn1", "fn2")) {
      assertThat(attached.host(fn).externalAddress()).as(fn).isEqualTo(lab.host(fn).externalAddress());
      assertThat(attached.host(fn).natNamespace()).as(fn).isEqualTo(lab.host(fn).natNamespace());
    }
    assertThat(attached.namespaces()).containsExactlyInAnyOrderElementsOf(lab.namespaces());
  }

  @Test
  @Order(5)
  void cli_upJson_givesBothFunctionsTheSharedRouter() {
    StringWriter out = new StringWriter();
    CommandLine up = new CommandLine(new LabCommand());
    up.setOut(new PrintWriter(out, true));
    assertThat(up.execute("up", "--functions", "2", "--functions-per-nat", "2", "--vms", "0", "--json")).isZero();
    JsonObject doc = JsonParser.parseString(out.toString()).getAsJsonObject();
    String runId = doc.get("runId").getAsString();
    try {
      assertThat(doc.get("functionsPerNat").getAsInt()).isEqualTo(2);
      Map<String, JsonObject> hosts = new HashMap<>();
      doc.getAsJsonArray("hosts").forEach(h -> hosts.put(h.getAsJsonObject().get("name").getAsString(),
          h.getAsJsonObject()));
      for (String fn : List.of("fn1", "fn2")) {
        assertThat(hosts.get(fn).get("externalAddress").getAsString()).as(fn).isEqualTo("198.18.0.101");
        assertThat(hosts.get(fn).get("natNamespace").getAsString()).as(fn).isEqualTo("boxer-" + runId + "-nat1");
      }
      assertThat(namespacesOf(runId)).contains("boxer-" + runId + "-nat1").doesNotContain("boxer-" + runId + "-nat2");
    } finally {
      assertThat(new CommandLine(new LabCommand()).execute("down", runId)).isZero();
    }
    assertThat(namespacesOf(runId)).isEmpty();
  }
}
