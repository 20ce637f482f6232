package io.boxer.netlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
 * The NAT lab on the real kernel: one lab (lambda, 2 functions, 1 VM) for the whole class. Needs root; as
 * non-root every test fails at once with the precondition message (never skipped).
 *
 * <p>Each test uses its own ports so conntrack state from one test cannot help another.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabIT {
  private static final Duration START = Duration.ofSeconds(10);
  /** Long enough for a SYN to cross two NATs many times over, short enough to keep the IT fast. */
  private static final int BLOCKED_CONNECT_MILLIS = 1500;

  private static Lab lab;

  @BeforeAll
  static void createLab() {
    LabPreconditions.checkThisProcess(); // a non-root run fails here, with what to do
    lab = Lab.create(LabSpec.builder().functions(2).vms(1).profile(NatProfile.LAMBDA).build());
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
  void functionToSeed_passesNat_andSeedSeesExternalAddress() throws Exception {
    LabHost seed = lab.host("seed");
    LabHost fn1 = lab.host("fn1");
    try (HostProcess server = Probes.start(seed, "server", "7200", "15000")) {
      server.awaitLine(l -> l.startsWith("LISTENING"), START);
      try (HostProcess client = Probes.start(fn1, "connect",
          seed.address().getHostAddress(), "7200", "7201", "5000")) {
        assertThat(client.awaitExit(START)).as("client %s", client.output()).isZero();
      }
      // MASQUERADE: the seed sees the NAT's WAN address, and the source port is preserved.
      assertThat(server.awaitLine(l -> l.startsWith("PEER"), START))
          .isEqualTo("PEER " + fn1.externalAddress().getHostAddress() + ":7201");
      assertThat(fn1.externalAddress()).isNotEqualTo(fn1.address());
    }
  }

  @Test
  @Order(2)
  void seedToFunction_unsolicitedInbound_isDroppedSilently() throws Exception {
    LabHost seed = lab.host("seed");
    LabHost fn1 = lab.host("fn1");
    try (HostProcess server = Probes.start(fn1, "server", "7100", "15000")) {
      server.awaitLine(l -> l.startsWith("LISTENING"), START);
      try (HostProcess client = Probes.start(seed, "connect",
          fn1.externalAddress().getHostAddress(), "7100", "0", Integer.toString(BLOCKED_CONNECT_MILLIS))) {
        // TIMEOUT, not "connection refused": the NAT drops, it never answers with RST.
        assertThat(client.awaitLine(l -> true, START)).isEqualTo("TIMEOUT");
        assertThat(client.awaitExit(START)).isEqualTo(4);
      }
    }
  }

  @Test
  @Order(2)
  void seedToVm_unsolicitedInbound_isDroppedSilently_butVmToSeedWorks() throws Exception {
    LabHost seed = lab.host("seed");
    LabHost vm1 = lab.host("vm1");
    // a VM is an EC2 instance in a default security group: inbound to a listener is dropped, not refused
    try (HostProcess server = Probes.start(vm1, "server", "7300", "15000")) {
      server.awaitLine(l -> l.startsWith("LISTENING"), START);
      try (HostProcess client = Probes.start(seed, "connect",
          vm1.address().getHostAddress(), "7300", "0", Integer.toString(BLOCKED_CONNECT_MILLIS))) {
        assertThat(client.awaitLine(l -> true, START)).isEqualTo("TIMEOUT");
        assertThat(client.awaitExit(START)).isEqualTo(4);
      }
    }
    try (HostProcess server = Probes.start(seed, "server", "7301", "15000")) {
      server.awaitLine(l -> l.startsWith("LISTENING"), START);
      try (HostProcess client = Probes.start(vm1, "connect",
          seed.address().getHostAddress(), "7301", "0", "5000")) {
        assertThat(client.awaitExit(START)).as("client %s", client.output()).isZero();
      }
    }
    // an inbound rule for one port opens that port, and only that one
    lab.allowInboundTcp("vm1", 7302);
    try (HostProcess server = Probes.start(vm1, "server", "7302", "15000")) {
      server.awaitLine(l -> l.startsWith("LISTENING"), START);
      try (HostProcess client = Probes.start(seed, "connect",
          vm1.address().getHostAddress(), "7302", "0", "5000")) {
        assertThat(client.awaitExit(START)).as("client %s", client.output()).isZero();
      }
    }
    assertThatThrownBy(() -> lab.allowInboundTcp("fn1", 7302)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected: a VM host");
  }

  @Test
  @Order(3)
  void functionToFunction_connectsOnlyAfterPriming() throws Exception {
    LabHost fn1 = lab.host("fn1");
    LabHost fn2 = lab.host("fn2");
    String fn2External = fn2.externalAddress().getHostAddress();
    try (HostProcess server = Probes.start(fn2, "server", "7000", "20000")) {
      server.awaitLine(l -> l.startsWith("LISTENING"), START);

      // Without priming, fn2's NAT drops fn1's SYN.
      try (HostProcess unprimed = Probes.start(fn1, "connect",
          fn2External, "7000", "7002", Integer.toString(BLOCKED_CONNECT_MILLIS))) {
        assertThat(unprimed.awaitLine(l -> true, START)).isEqualTo("TIMEOUT");
      }

      // Prime from fn2's listening port toward fn1's external ip:client port (docs/design/nat-lab.md) ...
      try (HostProcess prime = Probes.start(fn2, "prime",
          "7000", fn1.externalAddress().getHostAddress(), "7001")) {
        assertThat(prime.awaitExit(START)).as("prime %s", prime.output()).isZero();
      }
      // ... then fn1's connect from that port passes both NATs and reaches the real listener.
      try (HostProcess primed = Probes.start(fn1, "connect", fn2External, "7000", "7001", "5000")) {
        assertThat(primed.awaitLine(l -> true, START)).isEqualTo("CONNECTED 7001");
      }
      assertThat(server.awaitLine(l -> l.startsWith("PEER"), START))
          .isEqualTo("PEER " + fn1.externalAddress().getHostAddress() + ":7001");
    }
  }

  @Test
  @Order(4)
  void attach_reconstructsHostsAndSpec() {
    Lab attached = Lab.attach(lab.runId()); // not closed: closing would destroy the shared lab
    assertThat(attached.hosts()).extracting(LabHost::name).containsExactly("seed", "vm1", "fn1", "fn2");
    assertThat(attached.host("fn2").externalAddress()).isEqualTo(lab.host("fn2").externalAddress());
    assertThat(attached.host("vm1").address().getHostAddress()).isEqualTo("198.18.0.11");
    assertThat(attached.spec()).isEqualTo(lab.spec());
    assertThat(attached.namespaces()).containsExactlyInAnyOrderElementsOf(lab.namespaces());
  }

  @Test
  @Order(5)
  void list_seesTheRunningLab() {
    assertThat(Labs.list())
        .filteredOn(l -> l.runId().equals(lab.runId()))
        .singleElement()
        .satisfies(l -> {
          assertThat(l.namespaces()).hasSize(7);
          assertThat(l.spec()).contains(LabSpec.builder().build());
        });
  }

  @Test
  @Order(6)
  void cli_listAndExecWorkOnTheRunningLab() {
    StringWriter out = new StringWriter();
    CommandLine cl = new CommandLine(new LabCommand());
    cl.setOut(new PrintWriter(out, true));
    assertThat(cl.execute("list")).isZero();
    assertThat(out.toString()).containsPattern(lab.runId() + "\\s+lambda\\s+2\\s+1\\s+0\\s+0ms\\s+7");
    assertThat(new CommandLine(new LabCommand()).execute("exec", lab.runId(), "fn1", "--", "sh", "-c", "exit 7"))
        .isEqualTo(7);
    StringWriter err = new StringWriter();
    CommandLine unknownHost = new CommandLine(new LabCommand());
    unknownHost.setErr(new PrintWriter(err, true));
    assertThat(unknownHost.execute("exec", lab.runId(), "fn9", "--", "true")).isEqualTo(2);
    assertThat(err.toString()).contains("host : fn9 (expected: one of seed, vm1, fn1, fn2)");
    // allow: a VM only, and the rule is really there
    assertThat(new CommandLine(new LabCommand()).execute("allow", lab.runId(), "vm1", "7400", "7401")).isZero();
    assertThat(new CommandLine(new LabCommand()).execute("exec", lab.runId(), "vm1", "--", "sh", "-c",
        "iptables -S INPUT | grep -q -- '--dport 7401 -j ACCEPT'")).isZero();
    StringWriter allowErr = new StringWriter();
    CommandLine notVm = new CommandLine(new LabCommand());
    notVm.setErr(new PrintWriter(allowErr, true));
    assertThat(notVm.execute("allow", lab.runId(), "fn1", "7400")).isEqualTo(2);
    assertThat(allowErr.toString()).contains("expected: a VM host");
  }

  @Test
  @Order(7)
  void cli_upJson_describesEveryHostOfTheNewLab() {
    StringWriter out = new StringWriter();
    CommandLine up = new CommandLine(new LabCommand());
    up.setOut(new PrintWriter(out, true));
    assertThat(up.execute("up", "--functions", "1", "--vms", "1", "--json")).isZero();
    JsonObject doc = JsonParser.parseString(out.toString()).getAsJsonObject();
    String runId = doc.get("runId").getAsString();
    try {
      assertThat(doc.get("profile").getAsString()).isEqualTo("lambda");
      Map<String, JsonObject> hosts = new HashMap<>();
      doc.getAsJsonArray("hosts").forEach(h -> hosts.put(h.getAsJsonObject().get("name").getAsString(),
          h.getAsJsonObject()));
      assertThat(hosts).containsOnlyKeys("seed", "vm1", "fn1");
      JsonObject fn1 = hosts.get("fn1");
      assertThat(fn1.get("kind").getAsString()).isEqualTo("function");
      assertThat(fn1.get("externalAddress").getAsString()).isNotEqualTo(fn1.get("address").getAsString());
      assertThat(namespacesOf(runId)).contains(fn1.get("namespace").getAsString(),
          fn1.get("natNamespace").getAsString(), hosts.get("vm1").get("namespace").getAsString());
      assertThat(hosts.get("vm1").has("natNamespace")).isFalse();
    } finally {
      assertThat(new CommandLine(new LabCommand()).execute("down", runId)).isZero();
    }
    assertThat(namespacesOf(runId)).isEmpty();
  }

  @Test
  @Order(8)
  void close_removesEveryNamespaceAndIsIdempotent() {
    String runId = lab.runId();
    assertThat(namespacesOf(runId)).hasSize(7);
    lab.close();
    assertThat(namespacesOf(runId)).isEmpty();
    assertThat(Labs.list()).noneMatch(l -> l.runId().equals(runId));
    assertThat(new LabMetadata(LabMetadata.DEFAULT_DIR).exists(runId)).isFalse();
    lab.close(); // idempotent
  }
}
