package io.boxer.node.priming;

import io.boxer.control.Endpoints;
import io.boxer.control.RateLimitedLog;
import io.boxer.control.TokenBucket;
import io.boxer.node.membership.Peer;
import io.boxer.proto.mesh.v1.PrimeRequest;
import io.boxer.proto.mesh.v1.PrimeResponse;
import io.boxer.proto.v1.PrimeResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers prime requests that members send over their authenticated mesh links, for this host's application
 * listeners. A member may open this host's NAT only for itself (the client endpoint must be on its own
 * external address), only within its rate limits, only where the connection policy lets its role reach this
 * member's role and port, and only for a port something listens on; anything else is answered REFUSED
 * ("Connection refused" for the application) or FAILED, counted, and logged at a bounded rate. Thread-safe.
 */
public final class PrimeHandler {
  /** Sustained primes per second one member may ask for (each sends {@link NatPrimer#SYNS} SYNs). */
  public static final int PRIMES_PER_SECOND = 2000;
  public static final int PRIME_BURST = 4000;
  /** REFUSED answers per second one member may get: what port scanning needs, not what applications do. */
  public static final int REFUSALS_PER_SECOND = 20;
  public static final int REFUSAL_BURST = 100;

  private static final Logger log = LoggerFactory.getLogger(PrimeHandler.class);
  private static final RateLimitedLog warnings = new RateLimitedLog(log, 10, 10, TimeUnit.SECONDS);

  /** What this handler has answered, since start. */
  public static final class Counters {
    public final AtomicLong primed = new AtomicLong();
    public final AtomicLong refused = new AtomicLong();
    public final AtomicLong policyRefused = new AtomicLong();
    public final AtomicLong rateLimited = new AtomicLong();
    public final AtomicLong failed = new AtomicLong();
  }

  /** What this handler answered one member since it joined: PRIMED, REFUSED, FAILED (malformed, rate-limited). */
  public record PeerPrimes(long served, long refused, long failed) {
    public static final PeerPrimes NONE = new PeerPrimes(0, 0, 0);
  }

  /** One member's rate limits and answers; forgotten when it leaves, so there are at most as many as members. */
  private static final class PeerState {
    final TokenBucket primes = new TokenBucket(PRIMES_PER_SECOND, PRIME_BURST);
    final TokenBucket refusals = new TokenBucket(REFUSALS_PER_SECOND, REFUSAL_BURST);
    final AtomicLong served = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong failed = new AtomicLong();
  }

  private final ListenerProbe probe;
  private final NatPrimer primer;
  private final Supplier<String> ownRole;
  private final IntSupplier controlPort;
  private final Executor afterAnswer;
  private final AtomicReference<PrimePolicy> policy = new AtomicReference<>(PrimePolicy.OPEN);
  private final Map<Long, PeerState> peers = new ConcurrentHashMap<>();
  private final Counters counters = new Counters();

  /** A handler for a host without a control port of its own (tests). */
  public PrimeHandler(ListenerProbe probe, NatPrimer primer, Supplier<String> ownRole) {
    this(probe, primer, ownRole, () -> 0, Runnable::run);
  }

  /**
   * @param ownRole this member's role, as the policy names it
   * @param controlPort this node's control port, which every member may have primed whatever the policy (the
   *     mesh's own port, behind mutual TLS: {@code PrimedPathCheck} connects it); 0 before it is known
   * @param afterAnswer runs work that must wait until the answer to the prime being handled has gone out (the
   *     ready sockets of the port's next prime, {@link NatPrimer#prepare})
   */
  public PrimeHandler(ListenerProbe probe, NatPrimer primer, Supplier<String> ownRole, IntSupplier controlPort,
      Executor afterAnswer) {
    this.probe = probe;
    this.primer = primer;
    this.ownRole = ownRole;
    this.controlPort = controlPort;
    this.afterAnswer = afterAnswer;
  }

  /** Takes the seed's connection policy into force. */
  public void setPolicy(PrimePolicy newPolicy) {
    PrimePolicy old = policy.getAndSet(newPolicy);
    if (!old.toString().equals(newPolicy.toString())) {
      log.info("Connection policy set. old={} new={}", old, newPolicy);
    }
  }

  /** Forgets the rate limits and counts of a member that left. */
  public void forget(long peerId) {
    peers.remove(peerId);
  }

  public Counters counters() {
    return counters;
  }

  /** What this handler answered member {@code peerId} since it joined. */
  public PeerPrimes primesOf(long peerId) {
    PeerState state = peers.get(peerId);
    return state == null ? PeerPrimes.NONE
        : new PeerPrimes(state.served.get(), state.refused.get(), state.failed.get());
  }

  /** Answers a prime request from member {@code from}, authenticated by its mesh link. */
  public PrimeResponse handle(Peer from, PrimeRequest request) {
    long fromPeerId = from.id();
    PeerState peer = peers.computeIfAbsent(fromPeerId, id -> new PeerState());
    PrimeResponse response = answer(from, peer, request);
    switch (response.getResult()) {
      case PRIMED -> peer.served.incrementAndGet();
      case REFUSED -> peer.refused.incrementAndGet();
      default -> peer.failed.incrementAndGet();
    }
    return response;
  }

  private PrimeResponse answer(Peer from, PeerState peer, PrimeRequest request) {
    long fromPeerId = from.id();
    int port;
    InetSocketAddress client;
    try {
      port = Endpoints.port("prime_request.listen_port", request.getListenPort());
      client = Endpoints.fromProto(request.getClient());
      if (!client.getAddress().equals(from.externalIp())) {
        throw new IllegalArgumentException("prime_request.client : " + client.getAddress().getHostAddress()
            + " (expected: member " + fromPeerId + "'s external address " + from.externalIp().getHostAddress() + ")");
      }
    } catch (IllegalArgumentException e) {
      counters.failed.incrementAndGet();
      warnings.warn("Rejected malformed prime request. peerId={} reason={}", fromPeerId, e.getMessage());
      return failed("malformed prime request: " + e.getMessage());
    }
    try {
      PrimeResponse refusal = admission(from, peer, port);
      if (refusal != null) {
        return refusal;
      }
      primer.prime(port, client);
      InetSocketAddress primedFor = client;
      int primedPort = port;
      afterAnswer.execute(() -> primer.prepare(primedPort, primedFor));
      counters.primed.incrementAndGet();
      log.debug("Primed NAT. peerId={} port={} addr={}", fromPeerId, port, client);
      return PrimeResponse.newBuilder().setResult(PrimeResult.PRIMED).build();
    } catch (IOException e) {
      counters.failed.incrementAndGet();
      warnings.warn("Prime failed. peerId={} port={} addr={} reason={}", fromPeerId, port, client, e.toString());
      return failed("priming port " + port + " failed: " + e.getMessage());
    }
  }

  /**
   * Whether member {@code from} may have a relayed connection to {@code port} on this host: null if yes, else the
   * REFUSED or FAILED answer a prime request would get (the same policy, listener check and rate limits).
   */
  public PrimeResponse admitRelayed(Peer from, int port) {
    PeerState peer = peers.computeIfAbsent(from.id(), id -> new PeerState());
    PrimeResponse refusal;
    try {
      refusal = admission(from, peer, port);
    } catch (IOException e) {
      counters.failed.incrementAndGet();
      refusal = failed("checking port " + port + " failed: " + e.getMessage());
    }
    if (refusal == null) {
      peer.served.incrementAndGet();
    } else if (refusal.getResult() == PrimeResult.REFUSED) {
      peer.refused.incrementAndGet();
    } else {
      peer.failed.incrementAndGet();
    }
    return refusal;
  }

  /** The rate limits, the policy and the listener check: null if {@code from} may reach {@code port}. */
  private PrimeResponse admission(Peer from, PeerState peer, int port) throws IOException {
    long fromPeerId = from.id();
    if (!peer.primes.tryTake()) {
      return rateLimited(fromPeerId, "primes");
    }
    if (port != controlPort.getAsInt() && !policy.get().allows(from.role(), ownRole.get(), port)) {
      if (!peer.refusals.tryTake()) {
        return rateLimited(fromPeerId, "refusals");
      }
      counters.policyRefused.incrementAndGet();
      warnings.warn("Refused prime: the connection policy does not allow it. peerId={} role={} port={}",
          fromPeerId, from.role(), port);
      return refused();
    }
    if (!probe.isListening(port)) {
      primer.forget(port); // sockets made ready while it listened would only hold the port
      if (!peer.refusals.tryTake()) {
        return rateLimited(fromPeerId, "refusals");
      }
      counters.refused.incrementAndGet();
      log.debug("Refused prime: nothing listens. peerId={} port={}", fromPeerId, port);
      return refused();
    }
    return null;
  }

  private PrimeResponse rateLimited(long peerId, String what) {
    counters.rateLimited.incrementAndGet();
    warnings.warn("Rejected prime over the member's rate limit. peerId={} limit={}", peerId, what);
    return failed("member " + peerId + " asked for too many " + what + " (rate limit)");
  }

  private static PrimeResponse refused() {
    return PrimeResponse.newBuilder().setResult(PrimeResult.REFUSED).build();
  }

  /** A FAILED response with a reason. */
  public static PrimeResponse failed(String detail) {
    return PrimeResponse.newBuilder().setResult(PrimeResult.FAILED).setDetail(detail).build();
  }
}
