package io.boxer.node;

import io.boxer.node.membership.Peer;
import io.boxer.node.priming.PrimeHandler;
import io.boxer.proto.v1.LinkPath;
import io.boxer.proto.v1.PrimeResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongToDoubleFunction;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What a node counts, in Micrometer (the launcher exports it to Prometheus with {@code --metrics-port}):
 *
 * <ul>
 *   <li>{@code boxer.prime.requests} (timer, tag {@code result}): the primes this node's application asked for
 *       through the agent for a connect about to happen, by answer, with their latency as a histogram;
 *   <li>{@code boxer.prime.pool} (counter, tag {@code result}): the primes the agent's warm port pool asked for
 *       (ports reserved for later connects and their refreshes, docs/warm-connects.md), by answer;
 *   <li>{@code boxer.primes.served} (counter, tag {@code outcome}): what this node answered other members'
 *       prime requests: primed, refused (no listener), policy_refused, rate_limited, failed;
 *   <li>{@code boxer.members} (gauge): members this node knows, itself included;
 *   <li>{@code boxer.members.joined}, {@code boxer.members.left} (counters): membership changes seen;
 *   <li>{@code boxer.links} (gauge, tag {@code path}: direct, simultaneous_open, relayed): this node's open control
 *       links by the path they took (docs/relay.md);
 *   <li>{@code boxer.link.rtt} (gauge, seconds, tag {@code peer}): the smoothed round-trip time of this node's
 *       control link to each other member, NaN while there is no link or no sample yet; removed when the
 *       member leaves;
 *   <li>{@code boxer.relay.connections} (counter, tags {@code direction}: outbound, inbound, and {@code outcome}:
 *       opened, failed, declined): connections through the seed's relay, this node's application's and control
 *       links' (outbound) and the ones members asked for toward this host (inbound);
 *   <li>{@code boxer.relay.bytes} (counter): bytes this node copied between relayed connections and their local
 *       ends, both directions.
 * </ul>
 */
public final class NodeMetrics {
  /** Histogram buckets for a prime's latency: a lab round trip to a lost SYN's retransmission. */
  private static final Duration[] LATENCY_BUCKETS = Stream.of(1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000)
      .map(Duration::ofMillis).toArray(Duration[]::new);

  private final MeterRegistry registry;
  private final Map<PrimeResult, Timer> requests = new EnumMap<>(PrimeResult.class);
  private final Map<PrimeResult, Counter> poolPrimes = new EnumMap<>(PrimeResult.class);
  private final Counter joined;
  private final Counter left;
  // @GuardedBy("linkRtts"): peer id -> its gauge
  private final Map<Long, Gauge> linkRtts = new HashMap<>();

  public NodeMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (PrimeResult result : PrimeResult.values()) {
      if (result != PrimeResult.UNRECOGNIZED && result != PrimeResult.PRIME_RESULT_UNSPECIFIED) {
        requests.put(result, Timer.builder("boxer.prime.requests")
            .description("Primes this node's application asked for, by answer")
            .tag("result", result.name().toLowerCase(Locale.ROOT))
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(registry));
        poolPrimes.put(result, Counter.builder("boxer.prime.pool")
            .description("Primes the agent's warm port pool asked for, by answer")
            .tag("result", result.name().toLowerCase(Locale.ROOT))
            .register(registry));
      }
    }
    joined = Counter.builder("boxer.members.joined").description("Members that joined while this node ran")
        .register(registry);
    left = Counter.builder("boxer.members.left").description("Members that left or were removed")
        .register(registry);
  }

  /** Counts what this node's relayed connections did (read when scraped). */
  void bindRelays(io.boxer.node.relay.Relays.Counters counters) {
    relayed("outbound", "opened", counters.outboundOpened);
    relayed("outbound", "failed", counters.outboundFailed);
    relayed("inbound", "opened", counters.inboundOpened);
    relayed("inbound", "declined", counters.inboundDeclined);
    relayed("inbound", "failed", counters.inboundFailed);
    FunctionCounter.builder("boxer.relay.bytes", counters.bytes, java.util.concurrent.atomic.LongAdder::doubleValue)
        .description("Bytes copied between relayed connections and their local ends").baseUnit("bytes")
        .register(registry);
  }

  private void relayed(String direction, String outcome, AtomicLong count) {
    FunctionCounter.builder("boxer.relay.connections", count, AtomicLong::doubleValue)
        .description("Connections through the seed's relay").tag("direction", direction).tag("outcome", outcome)
        .register(registry);
  }

  /** Counts what this node's prime handler answers (read when scraped). */
  void bindPrimesServed(PrimeHandler.Counters counters) {
    served("primed", counters.primed);
    served("refused", counters.refused);
    served("policy_refused", counters.policyRefused);
    served("rate_limited", counters.rateLimited);
    served("failed", counters.failed);
  }

  /** Reports the number of members (read when scraped). */
  void bindMembers(IntSupplier members) {
    Gauge.builder("boxer.members", members, m -> m.getAsInt()).description("Members this node knows, itself included")
        .strongReference(true) // the supplier is a lambda nobody else holds
        .register(registry);
  }

  /** Reports this node's open control links by path (read when scraped). */
  void bindLinks(Supplier<List<LinkPath>> openLinkPaths) {
    for (LinkPath path : List.of(LinkPath.DIRECT, LinkPath.SIMULTANEOUS_OPEN, LinkPath.RELAYED)) {
      Gauge.builder("boxer.links", openLinkPaths, paths -> paths.get().stream().filter(path::equals).count())
          .description("Open control links by the path they took").tag("path", path.name().toLowerCase(Locale.ROOT))
          .strongReference(true)
          .register(registry);
    }
  }

  /**
   * Keeps one {@code boxer.link.rtt} gauge per member of {@code members} except {@code selfId}, reading
   * {@code srttSeconds} when scraped; drops the gauges of members no longer listed. A membership listener calls
   * it with every new member list.
   */
  void trackLinkRtts(List<Peer> members, long selfId, LongToDoubleFunction srttSeconds) {
    synchronized (linkRtts) {
      Map<Long, Gauge> gone = new HashMap<>(linkRtts);
      for (Peer peer : members) {
        if (peer.id() != selfId && gone.remove(peer.id()) == null) {
          long id = peer.id();
          linkRtts.put(id, Gauge.builder("boxer.link.rtt", () -> srttSeconds.applyAsDouble(id))
              .description("Smoothed round-trip time of this node's control link to a member")
              .baseUnit("seconds")
              .tag("peer", Long.toString(id))
              .strongReference(true)
              .register(registry));
        }
      }
      gone.forEach((id, gauge) -> {
        registry.remove(gauge);
        linkRtts.remove(id);
      });
    }
  }

  private void served(String outcome, AtomicLong count) {
    FunctionCounter.builder("boxer.primes.served", count, AtomicLong::get)
        .description("Other members' prime requests this node answered, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  /**
   * One prime the application's agent asked for, answered with {@code result} after {@code nanos}: for a connect
   * (timed), or for its warm port pool (counted apart, so that the connects that waited for a prime stay visible).
   */
  public void primeRequested(PrimeResult result, long nanos, boolean pool) {
    if (pool) {
      Counter counter = poolPrimes.get(result);
      if (counter != null) {
        counter.increment();
      }
      return;
    }
    Timer timer = requests.get(result);
    if (timer != null) {
      timer.record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  void memberJoined() {
    joined.increment();
  }

  void memberLeft() {
    left.increment();
  }
}
