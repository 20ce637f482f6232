package io.boxer.seed;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * What the seed counts, in Micrometer ({@code boxer seed --metrics-port} exports it to Prometheus):
 *
 * <ul>
 *   <li>{@code boxer.seed.members} (gauge): current members;
 *   <li>{@code boxer.seed.joins} (counter, tag {@code kind}: new, rejoin): members admitted;
 *   <li>{@code boxer.seed.leaves} (counter, tag {@code reason}: left, failed): members gone, by why;
 *   <li>{@code boxer.seed.joins.refused} (counter, tag {@code reason}: the gRPC status the seed answered, e.g.
 *       unauthenticated, already_exists, deadline_exceeded);
 *   <li>{@code boxer.seed.certificates.issued} (counter): member certificates, at joins and renewals;
 *   <li>{@code boxer.seed.link.reports} (counter, tag {@code outcome}: kept, dropped): members' link reports;
 *   <li>{@code boxer.seed.relay.sessions} (counter, tag {@code outcome}: paired, declined, failed): relay
 *       requests, by how they ended (failed: refused by the seed; a session whose ends never both connect is
 *       counted by neither);
 *   <li>{@code boxer.seed.relay.refused} (counter): relay connections closed for a bad preamble or ticket;
 *   <li>{@code boxer.seed.relay.connections} (gauge): open connections of the relay port;
 *   <li>{@code boxer.seed.relay.bytes} (counter): bytes the relay copied, both directions.
 * </ul>
 *
 * Tags come from fixed sets (no value a client chooses), so the number of meters is bounded.
 */
final class SeedMetrics {
  private final MeterRegistry registry;
  private final Counter newJoins;
  private final Counter rejoins;
  private final Counter left;
  private final Counter failed;
  private final Counter certificates;
  private final Counter reportsKept;
  private final Counter reportsDropped;
  private final Counter relayPaired;
  private final Counter relayDeclined;
  private final Counter relayFailed;
  private final Counter relayRefused;

  SeedMetrics(MeterRegistry registry) {
    this.registry = registry;
    newJoins = joins("new");
    rejoins = joins("rejoin");
    left = leaves("left");
    failed = leaves("failed");
    certificates = Counter.builder("boxer.seed.certificates.issued")
        .description("Member certificates the seed issued, at joins and renewals").register(registry);
    reportsKept = reports("kept");
    reportsDropped = reports("dropped");
    relayPaired = relaySessions("paired");
    relayDeclined = relaySessions("declined");
    relayFailed = relaySessions("failed");
    relayRefused = Counter.builder("boxer.seed.relay.refused")
        .description("Relay connections closed for a bad preamble or ticket").register(registry);
  }

  /** Reports the relay's open connections and copied bytes (read when scraped). */
  void bindRelay(IntSupplier connections, LongAdder bytes) {
    Gauge.builder("boxer.seed.relay.connections", connections, IntSupplier::getAsInt)
        .description("Open connections of the relay port").strongReference(true).register(registry);
    FunctionCounter.builder("boxer.seed.relay.bytes", bytes, LongAdder::doubleValue)
        .description("Bytes the relay copied, both directions").baseUnit("bytes").register(registry);
  }

  void relayPaired() {
    relayPaired.increment();
  }

  void relayDeclined() {
    relayDeclined.increment();
  }

  void relayFailed() {
    relayFailed.increment();
  }

  void relayRefused() {
    relayRefused.increment();
  }

  private Counter relaySessions(String outcome) {
    return Counter.builder("boxer.seed.relay.sessions").description("Relay requests, by how they ended")
        .tag("outcome", outcome).register(registry);
  }

  /** Reports the number of members (read when scraped). */
  void bindMembers(IntSupplier members) {
    Gauge.builder("boxer.seed.members", members, IntSupplier::getAsInt).description("Current members")
        .strongReference(true)
        .register(registry);
  }

  void joined(boolean rejoin) {
    (rejoin ? rejoins : newJoins).increment();
  }

  void left(boolean removed) {
    (removed ? failed : left).increment();
  }

  /** A join refused with gRPC status {@code code} (one of a fixed set: at most 17 meters). */
  void joinRefused(io.grpc.Status.Code code) {
    Counter.builder("boxer.seed.joins.refused").description("Joins the seed refused, by the status it answered")
        .tag("reason", code.name().toLowerCase(Locale.ROOT))
        .register(registry)
        .increment();
  }

  void certificateIssued() {
    certificates.increment();
  }

  void report(boolean kept) {
    (kept ? reportsKept : reportsDropped).increment();
  }

  private Counter joins(String kind) {
    return Counter.builder("boxer.seed.joins").description("Members the seed admitted").tag("kind", kind)
        .register(registry);
  }

  private Counter leaves(String reason) {
    return Counter.builder("boxer.seed.leaves").description("Members that left (left) or were removed (failed)")
        .tag("reason", reason).register(registry);
  }

  private Counter reports(String outcome) {
    return Counter.builder("boxer.seed.link.reports")
        .description("Members' link reports: kept, or dropped for coming within 0.5 s of the last")
        .tag("outcome", outcome).register(registry);
  }
}
