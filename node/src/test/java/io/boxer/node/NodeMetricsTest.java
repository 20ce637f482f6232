package io.boxer.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.node.membership.Peer;
import io.boxer.node.priming.PrimeHandler;
import io.boxer.proto.v1.LinkPath;
import io.boxer.proto.v1.PrimeResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class NodeMetricsTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final NodeMetrics metrics = new NodeMetrics(registry);

  @Test
  void primeRequests_areTimedByResult() {
    metrics.primeRequested(PrimeResult.PRIMED, 2_000_000, false);
    metrics.primeRequested(PrimeResult.PRIMED, 4_000_000, false);
    metrics.primeRequested(PrimeResult.FAILED, 1_000_000, false);

    assertThat(registry.get("boxer.prime.requests").tag("result", "primed").timer().count()).isEqualTo(2);
    assertThat(registry.get("boxer.prime.requests").tag("result", "primed").timer().totalTime(TimeUnit.MILLISECONDS))
        .isEqualTo(6.0);
    assertThat(registry.get("boxer.prime.requests").tag("result", "failed").timer().count()).isEqualTo(1);
  }

  @Test
  void poolPrimes_areCountedApartFromConnectPrimes() {
    metrics.primeRequested(PrimeResult.PRIMED, 2_000_000, false);
    metrics.primeRequested(PrimeResult.PRIMED, 3_000_000, true);
    metrics.primeRequested(PrimeResult.PRIMED, 3_000_000, true);
    metrics.primeRequested(PrimeResult.REFUSED, 1_000_000, true);

    assertThat(registry.get("boxer.prime.requests").tag("result", "primed").timer().count()).isEqualTo(1);
    assertThat(registry.get("boxer.prime.pool").tag("result", "primed").counter().count()).isEqualTo(2);
    assertThat(registry.get("boxer.prime.pool").tag("result", "refused").counter().count()).isEqualTo(1);
    assertThat(registry.get("boxer.prime.requests").tag("result", "refused").timer().count()).isZero();
  }

  @Test
  void links_areCountedByPathWhenScraped() {
    List<LinkPath> open = new java.util.ArrayList<>(List.of(LinkPath.DIRECT, LinkPath.SIMULTANEOUS_OPEN,
        LinkPath.SIMULTANEOUS_OPEN));
    metrics.bindLinks(() -> List.copyOf(open));
    open.add(LinkPath.RELAYED);

    assertThat(registry.get("boxer.links").tag("path", "direct").gauge().value()).isEqualTo(1);
    assertThat(registry.get("boxer.links").tag("path", "simultaneous_open").gauge().value()).isEqualTo(2);
    assertThat(registry.get("boxer.links").tag("path", "relayed").gauge().value()).isEqualTo(1);
  }

  @Test
  void primesServed_andMembers_areReadWhenScraped() {
    PrimeHandler.Counters counters = new PrimeHandler.Counters();
    int[] members = {2};
    metrics.bindPrimesServed(counters);
    metrics.bindMembers(() -> members[0]);

    counters.primed.addAndGet(5);
    counters.policyRefused.incrementAndGet();
    members[0] = 3;
    metrics.memberJoined();

    assertThat(registry.get("boxer.primes.served").tag("outcome", "primed").functionCounter().count()).isEqualTo(5);
    assertThat(registry.get("boxer.primes.served").tag("outcome", "policy_refused").functionCounter().count())
        .isEqualTo(1);
    assertThat(registry.get("boxer.members").gauge().value()).isEqualTo(3);
    assertThat(registry.get("boxer.members.joined").counter().count()).isEqualTo(1);
  }

  @Test
  void linkRtt_isAGaugePerOtherMember_removedWhenTheMemberLeaves() {
    Peer self = new Peer(1, new InetSocketAddress("198.18.0.101", 7000));
    Peer two = new Peer(2, new InetSocketAddress("198.18.0.102", 7000));
    Peer three = new Peer(3, new InetSocketAddress("198.18.0.103", 7000));

    metrics.trackLinkRtts(List.of(self, two, three), 1, id -> id / 1000.0);
    metrics.trackLinkRtts(List.of(self, two), 1, id -> id / 1000.0);

    assertThat(registry.get("boxer.link.rtt").tag("peer", "2").gauge().value()).isEqualTo(0.002);
    assertThat(registry.find("boxer.link.rtt").tag("peer", "3").gauge()).isNull();
    assertThat(registry.find("boxer.link.rtt").tag("peer", "1").gauge()).isNull();
    assertThat(registry.find("boxer.link.rtt").gauges()).hasSize(1);
  }
}
