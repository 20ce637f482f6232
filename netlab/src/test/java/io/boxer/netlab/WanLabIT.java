package io.boxer.netlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.boxer.netlab.wan.WanProbe;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The lab's WAN on the real kernel: one lab with a 4 ms round trip and the Lambda rate cap (1 function, 1 VM)
 * for the whole class, plus a small plain lab for the comparison. Only lower bounds on delays and upper
 * bounds on throughput are asserted: a loaded machine makes round trips longer and transfers slower, never
 * the reverse. Needs root; as non-root every test fails at once with the precondition message.
 *
 * <p>Each test uses its own ports.
 */
@Tag("lab")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WanLabIT {
  private static final WanSpec WAN = new WanSpec(Duration.ofMillis(4), Duration.ZERO, WanSpec.LAMBDA_RATE_MBIT);
  private static final long RTT_MICROS = WAN.rtt().toNanos() / 1000;
  private static final Duration START = Duration.ofSeconds(30);
  private static final String ROUND_TRIPS = "100";

  private static Lab lab;

  @BeforeAll
  static void createLab() {
    LabPreconditions.checkThisProcess(); // a non-root run fails here, with what to do
    lab = Lab.create(LabSpec.builder().functions(1).vms(1).wan(WAN).build());
  }

  @AfterAll
  static void closeLab() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  @Order(1)
  void functionToSeed_tcpRoundTrip_isAtLeastTheConfiguredRtt() throws Exception {
    JsonObject rtt = probe(lab.host("fn1"), lab.host("seed"), 7400, "rtt", ROUND_TRIPS);
    // fn1 → nat1's wan (rtt/2) → seed, seed's eth0 (rtt/2) → nat1 → fn1
    assertThat(rtt.get("minMicros").getAsLong()).as("%s", rtt).isGreaterThanOrEqualTo(RTT_MICROS);
  }

  @Test
  @Order(1)
  void vmToSeed_tcpRoundTrip_isAtLeastTheConfiguredRtt() throws Exception {
    JsonObject rtt = probe(lab.host("vm1"), lab.host("seed"), 7401, "rtt", ROUND_TRIPS);
    assertThat(rtt.get("minMicros").getAsLong()).as("%s", rtt).isGreaterThanOrEqualTo(RTT_MICROS);
  }

  @Test
  @Order(1)
  void functionUpload_isCappedAtTheRate() throws Exception {
    JsonObject sent = probe(lab.host("fn1"), lab.host("seed"), 7402, "throughput", "2");
    // tbf's burst (1 ms at the rate) is the only allowance above the cap over 2 s
    assertThat(sent.get("mbitPerSecond").getAsDouble()).as("%s", sent)
        .isPositive().isLessThanOrEqualTo(WAN.rateMbit() * 1.02);
  }

  @Test
  @Order(2)
  void delayer_countsWhatItDelayed_andDropsNothing() throws Exception {
    // the status file is rewritten every second; the tests above sent thousands of packets
    Optional<WanStatus> status = await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(200))
        .until(lab::wanStatus, s -> s.map(WanStatus::packets).orElse(0L) >= 200);
    assertThat(status).hasValueSatisfying(s -> {
      assertThat(s.queues()).as("seed, vm1, nat1").isEqualTo(3);
      assertThat(s.packets()).isGreaterThanOrEqualTo(200);
      assertThat(s.dropped()).isZero();
    });
  }

  @Test
  @Order(1)
  void withoutWan_tcpRoundTrip_isBelowTheRtt_andNoDelayerRuns() throws Exception {
    try (Lab plain = Lab.create(LabSpec.builder().functions(1).vms(0).build())) {
      JsonObject rtt = probe(plain.host("fn1"), plain.host("seed"), 7403, "rtt", ROUND_TRIPS);
      // the fastest of 100 round trips over veths: tens of microseconds, far from 4 ms even under load
      assertThat(rtt.get("minMicros").getAsLong()).as("%s", rtt).isLessThan(RTT_MICROS);
      assertThat(plain.wanStatus()).isEmpty();
    }
  }

  @Test
  @Order(3)
  void close_killsTheDelayer() throws Exception {
    long pid = lab.wanStatus().orElseThrow().pid();
    assertThat(ProcessHandle.of(pid)).isPresent();
    lab.close();
    await("delayer " + pid + " gone").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
        .until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
    assertThat(Lab.members(lab.runId(), new Namespaces(new CommandRunner(), LabTools.BARE).list())).isEmpty();
  }

  /** Runs a {@link WanProbe} server on {@code server} and the client mode on {@code client}; its JSON result. */
  private static JsonObject probe(LabHost client, LabHost server, int port, String mode, String amount)
      throws Exception {
    try (HostProcess s = Probes.start(server, WanProbe.class, "server", Integer.toString(port), "120")) {
      s.awaitLine(l -> l.startsWith("{\"listening\""), START);
      try (HostProcess c = Probes.start(client, WanProbe.class, mode,
          server.address().getHostAddress(), Integer.toString(port), amount)) {
        String line = c.awaitLine(l -> l.startsWith("{"), Duration.ofSeconds(120));
        assertThat(c.awaitExit(START)).as("probe %s", c.output()).isZero();
        return JsonParser.parseString(line).getAsJsonObject();
      }
    }
  }
}
