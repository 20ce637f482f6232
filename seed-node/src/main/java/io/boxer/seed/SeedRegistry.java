package io.boxer.seed;

import io.boxer.control.Endpoints;
import io.boxer.control.Liveness;
import io.boxer.control.RateLimitedLog;
import io.boxer.control.tls.ClusterCa;
import io.boxer.proto.seed.v1.BarrierPassed;
import io.boxer.proto.seed.v1.CertificateIssued;
import io.boxer.proto.seed.v1.ClusterStatus;
import io.boxer.proto.seed.v1.LinkReport;
import io.boxer.proto.seed.v1.MemberStatus;
import io.boxer.proto.seed.v1.MemberJoined;
import io.boxer.proto.seed.v1.MemberLeft;
import io.boxer.proto.seed.v1.PeerRef;
import io.boxer.proto.seed.v1.ProbeResponse;
import io.boxer.proto.seed.v1.RelayDeclined;
import io.boxer.proto.seed.v1.RelayFailed;
import io.boxer.proto.seed.v1.RelayOffer;
import io.boxer.proto.seed.v1.RelayRequest;
import io.boxer.proto.seed.v1.RelayTicket;
import io.boxer.proto.seed.v1.SeedEvent;
import io.boxer.proto.seed.v1.SimultaneousOpen;
import io.boxer.proto.seed.v1.Welcome;
import io.boxer.proto.v1.ConnectionPolicy;
import io.boxer.proto.v1.Heartbeat;
import io.boxer.proto.v1.LinkPath;
import io.boxer.proto.v1.LinkStatus;
import io.boxer.proto.v1.Member;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed's member table: assigns ids, certifies members, gives a second member behind an external address
 * that is already a member's a virtual address (or refuses it without a relay), fans events out to every
 * member's session, and removes members that leave or fall silent. All methods are serialized on this object, so every member sees events in the same order.
 * Sends never block (each session queues a bounded number of events).
 */
final class SeedRegistry {
  private static final Logger log = LoggerFactory.getLogger(SeedRegistry.class);
  private static final SeedEvent HEARTBEAT = SeedEvent.newBuilder().setHeartbeat(Heartbeat.getDefaultInstance()).build();

  /**
   * Reports of one member closer together than this are dropped. A node sends one every 5 s, or on a change but
   * at least 1.1 s after its last: half a second leaves room for reports that queued on the way.
   */
  static final Duration MIN_REPORT_GAP = Duration.ofMillis(500);
  /** The link paths a report may name; any other value is stored as unspecified. */
  private static final Set<Integer> KNOWN_PATHS = Set.of(LinkPath.DIRECT_VALUE, LinkPath.RELAYED_VALUE,
      LinkPath.SIMULTANEOUS_OPEN_VALUE);

  /**
   * @param ip the external address its session comes from (relay tickets are bound to it)
   * @param address the address it is known by and certified for: {@code ip}, or a virtual one
   */
  private record Registration(Member member, InetAddress ip, InetAddress address, MemberStream session,
      long joinedAtMillis) {}

  /** A member's newest link report: only links to other current members, at most one per peer. */
  private record StoredReport(MemberStream session, long atNanos, List<LinkStatus> links) {}

  private final ClusterCa ca;
  private final Duration certTtl;
  private final ConnectionPolicy policy;
  private final IdAllocator ids;
  private final SeedMetrics metrics;
  private final RelaySessions relaySessions;
  private final IntSupplier relayPort;
  private final VirtualAddresses virtualAddresses;
  private final RateLimitedLog rejected = new RateLimitedLog(log, 20, 10, TimeUnit.SECONDS);
  private final RateLimitedLog busy = new RateLimitedLog(log, 5, 10, TimeUnit.SECONDS);
  // a member's reports arrive at up to its message rate: a broken link's reports, or a liar's, log at a bounded rate
  private final RateLimitedLog heard = new RateLimitedLog(log, 10, 10, TimeUnit.SECONDS);
  // @GuardedBy("this")
  private final Map<Long, Registration> members = new TreeMap<>();
  // @GuardedBy("this"): member id -> its newest report; entries go with their member
  private final Map<Long, StoredReport> reports = new HashMap<>();
  // @GuardedBy("this")
  private int barrierPassed;
  // @GuardedBy("this")
  private long lastTick;

  /** @param policy the connection policy, or null for none */
  SeedRegistry(ClusterCa ca, Duration certTtl, ConnectionPolicy policy, IdAllocator ids, SeedMetrics metrics) {
    this(ca, certTtl, policy, ids, metrics, null, () -> 0, null);
  }

  /**
   * @param relaySessions the relay's session table, or null for a seed without a relay
   * @param relayPort the relay's port once bound (read at each welcome)
   * @param virtualRange the block of virtual addresses for members that share an external address, or null to
   *     refuse all but the first member behind one
   */
  SeedRegistry(ClusterCa ca, Duration certTtl, ConnectionPolicy policy, IdAllocator ids, SeedMetrics metrics,
      RelaySessions relaySessions, IntSupplier relayPort, VirtualRange virtualRange) {
    this.relaySessions = relaySessions;
    this.relayPort = relayPort;
    this.virtualAddresses = virtualRange == null ? null : new VirtualAddresses(virtualRange);
    this.ca = ca;
    this.certTtl = certTtl;
    this.policy = policy;
    this.ids = ids;
    this.metrics = metrics;
    metrics.bindMembers(this::size);
  }

  /**
   * Admits a node: assigns its id (or takes back its old one), certifies its key for the address it is known by,
   * sends it the welcome, then tells every other member. A new member behind an external address that another
   * member already has is known by a virtual address ({@link VirtualRange}) and reached through the relay.
   *
   * @throws StatusException ALREADY_EXISTS if the rejoin id is another session's, if a rejoin's address is
   *     taken, or if a second member behind one address cannot get a virtual one (no relay or no range);
   *     RESOURCE_EXHAUSTED if the virtual range is full
   */
  synchronized long join(MemberStream session, ValidJoin join) throws StatusException {
    InetAddress ip = join.control().getAddress();
    boolean rejoin = join.rejoinId() != 0;
    Registration old = members.get(join.rejoinId());
    if (rejoin && old != null && old.ip().equals(ip) && old.address().equals(join.address())) {
      // the member reconnected before its old session was seen to end: the new session replaces it
      members.remove(old.member().getId());
      old.session().end(Status.ABORTED.withDescription("replaced by a newer session of the same member"));
    } else if (rejoin && old != null) {
      throw Status.ALREADY_EXISTS.withDescription("member " + join.rejoinId() + " is already in the cluster at "
          + old.ip().getHostAddress()).asException();
    }
    InetAddress address = join.address();
    Registration holder = holderOf(address, rejoin ? null : ip);
    if (holder != null && rejoin) {
      throw Status.ALREADY_EXISTS.withDescription("address " + address.getHostAddress() + " of rejoining member "
          + join.rejoinId() + " is now member " + holder.member().getId()).asException();
    }
    // a rejoin certified for another address than it comes from has a virtual one (ValidJoin checked the range)
    boolean virtual = holder != null || !address.equals(ip);
    if (holder != null) {
      address = virtualAddress(ip, holder);
    }
    long id;
    if (rejoin) {
      if (!ids.plausible(join.rejoinId())) {
        throw Status.INVALID_ARGUMENT.withDescription("rejoin_id : " + join.rejoinId()
            + " (expected: an id this cluster's seed handed out; it lies beyond the seed's clock)").asException();
      }
      id = join.rejoinId();
      ids.observe(id);
    } else {
      id = ids.next();
    }
    X509Certificate certificate = ca.issueNode(id, address, join.publicKey(), certTtl);
    metrics.certificateIssued();
    metrics.joined(rejoin);
    Member member = Member.newBuilder().setId(id)
        .setControl(Endpoints.toProto(new InetSocketAddress(address, join.control().getPort())))
        .setRole(join.role()).setRelayOnly(join.relayOnly() || virtual).setAnswersRst(join.answersRst())
        .setVirtualAddress(virtual).build();
    session.admitted(id);
    members.put(id, new Registration(member, ip, address, session, ids.nowMillis()));
    Welcome.Builder welcome = Welcome.newBuilder()
        .setNodeId(id)
        .setObserved(member.getControl())
        .setCertificate(encoded(certificate))
        .setBarrierPassed(barrierPassed)
        .setRelayPort(relays() ? relayPort.getAsInt() : 0);
    members.values().forEach(r -> welcome.addMembers(r.member()));
    if (policy != null) {
      welcome.setPolicy(policy);
    }
    session.send(SeedEvent.newBuilder().setWelcome(welcome).build());
    broadcast(id, SeedEvent.newBuilder().setJoined(MemberJoined.newBuilder().setMember(member)).build());
    log.info("Member {}. peerId={} addr={} role={} relayOnly={} answersRst={} virtualAddress={} members={}",
        rejoin ? "rejoined" : "joined", id, join.control(), join.role(), member.getRelayOnly(),
        join.answersRst(), virtual ? address.getHostAddress() : "none", members.size());
    return id;
  }

  /**
   * The member known by {@code address}, or else (for a new member, {@code externalIp} not null) one behind
   * {@code externalIp}; null if none.
   */
  // @GuardedBy("this")
  private Registration holderOf(InetAddress address, InetAddress externalIp) {
    Registration behind = null;
    for (Registration r : members.values()) {
      if (r.address().equals(address)) {
        return r;
      }
      if (behind == null && externalIp != null && r.ip().equals(externalIp)) {
        behind = r;
      }
    }
    return behind;
  }

  /** A virtual address for a new member behind {@code ip}, which {@code holder} already has. */
  // @GuardedBy("this")
  private InetAddress virtualAddress(InetAddress ip, Registration holder) throws StatusException {
    if (virtualAddresses == null || relaySessions == null) {
      throw Status.ALREADY_EXISTS.withDescription("external address " + ip.getHostAddress() + " is already member "
          + holder.member().getId() + "; a second member behind one NAT needs a virtual address, which this seed"
          + " hands out only with a relay and a virtual range (--relay-port, --virtual-range)").asException();
    }
    Set<InetAddress> taken = new HashSet<>();
    members.values().forEach(r -> {
      taken.add(r.address());
      taken.add(r.ip());
    });
    return virtualAddresses.assign(taken).orElseThrow(() -> Status.RESOURCE_EXHAUSTED.withDescription(
        "every address of the virtual range " + virtualAddresses.range() + " is taken (expected: a wider"
            + " --virtual-range)").asException());
  }

  /** The member of {@code session} left (its session ended); tells the others. No-op if it is not a member. */
  synchronized void leave(MemberStream session) {
    long id = session.memberId();
    Registration r = members.get(id);
    if (r != null && r.session() == session) {
      members.remove(id);
      reports.remove(id);
      metrics.left(false);
      broadcast(id, left(id, MemberLeft.Reason.LEFT));
      log.info("Member left. peerId={} members={}", id, members.size());
    }
  }

  /** Removes a silent member: tells everyone, itself included (it must rejoin if it is alive), and ends its session. */
  synchronized void evict(long id, String why) {
    Registration r = members.remove(id);
    if (r == null) {
      return;
    }
    reports.remove(id);
    metrics.left(true);
    SeedEvent event = left(id, MemberLeft.Reason.FAILED);
    broadcast(id, event);
    r.session().send(event);
    r.session().end(Status.UNAVAILABLE.withDescription("removed from the cluster: " + why));
    log.warn("Member removed. peerId={} reason={} members={}", id, why, members.size());
  }

  /** Forwards "{@code from} primed toward you" to member {@code to}. */
  synchronized void forwardPrimed(long from, long to) {
    forward(from, to, SeedEvent.newBuilder().setPrimed(PeerRef.newBuilder().setPeerId(from)).build());
  }

  /** Forwards "{@code from} asks you to prime toward it" to member {@code to}. */
  synchronized void forwardPrimeRequest(long from, long to) {
    forward(from, to, SeedEvent.newBuilder().setPrimeRequested(PeerRef.newBuilder().setPeerId(from)).build());
  }

  /** Forwards "{@code from} could not dial your primed port: open simultaneously" to member {@code to}. */
  synchronized void forwardSimultaneousOpenRequest(long from, long to) {
    forward(from, to, SeedEvent.newBuilder()
        .setSimultaneousOpenRequested(PeerRef.newBuilder().setPeerId(from)).build());
  }

  /** Forwards "{@code from} is connecting toward you from its {@code port}" to the member the message names. */
  synchronized void forwardSimultaneousOpen(long from, SimultaneousOpen open) {
    if (open.getPort() < 1 || open.getPort() > 65535) {
      rejected.warn("Dropped a simultaneous open with an invalid port. peerId={} port={} expected=1..65535", from,
          Integer.toUnsignedLong(open.getPort()));
      return;
    }
    forward(from, open.getPeerId(), SeedEvent.newBuilder()
        .setSimultaneousOpen(SimultaneousOpen.newBuilder().setPeerId(from).setPort(open.getPort())).build());
  }

  private void forward(long from, long to, SeedEvent event) {
    Registration receiver = members.get(to);
    if (receiver == null || from == to) {
      rejected.warn("Dropped a priming step for a non-member. peerId={} to={}", from, to);
      return;
    }
    receiver.session().send(event);
  }

  /** The block of virtual addresses this seed hands out, or null. */
  VirtualRange virtualRange() {
    return virtualAddresses == null ? null : virtualAddresses.range();
  }

  /** Whether this seed relays connections between members. */
  boolean relays() {
    return relaySessions != null;
  }

  /**
   * A member asks for a relayed connection: opens a session and sends the requester its ticket and the peer its
   * offer, or answers relay_failed saying why not.
   */
  synchronized void relay(MemberStream session, RelayRequest request, long now) {
    Registration from = members.get(session.memberId());
    if (from == null || from.session() != session) {
      return;
    }
    Registration to = members.get(request.getPeerId());
    String failure = null;
    if (relaySessions == null) {
      failure = "this seed runs without a relay";
    } else if (to == null || request.getPeerId() == from.member().getId()) {
      failure = "member " + request.getPeerId() + " is not another member";
    } else if (!request.getControlLink() && (request.getPort() < 1 || request.getPort() > 65535)) {
      failure = "port : " + request.getPort() + " (expected: 1..65535)";
    }
    if (failure == null) {
      try {
        RelaySessions.Tickets tickets = relaySessions.open(from.member().getId(), from.ip(), request.getRequestId(),
            to.member().getId(), to.ip(), now);
        to.session().send(SeedEvent.newBuilder().setRelayOffer(RelayOffer.newBuilder()
            .setSessionId(tickets.sessionId())
            .setPeerId(from.member().getId())
            .setPort(request.getControlLink() ? 0 : request.getPort())
            .setControlLink(request.getControlLink())
            .setTicket(ByteString.copyFrom(tickets.peer()))).build());
        session.send(SeedEvent.newBuilder().setRelayTicket(RelayTicket.newBuilder()
            .setRequestId(request.getRequestId())
            .setTicket(ByteString.copyFrom(tickets.requester()))).build());
        log.debug("Relay session opened. session={} from={} to={} port={}", tickets.sessionId(),
            from.member().getId(), to.member().getId(), request.getPort());
        return;
      } catch (RelaySessions.Refused e) {
        failure = e.getMessage();
      }
    }
    metrics.relayFailed();
    rejected.warn("Refused a relay request. peerId={} to={} reason={}", session.memberId(), request.getPeerId(),
        failure);
    session.send(relayFailed(request.getRequestId(), "the seed refused: " + failure, false));
  }

  /** The peer of a relay session declines it: the requester learns why. */
  synchronized void relayDeclined(MemberStream session, RelayDeclined declined, long now) {
    if (relaySessions == null) {
      return;
    }
    RelaySessions.Requester requester = relaySessions.decline(declined.getSessionId(), session.memberId(), now);
    Registration r = requester == null ? null : members.get(requester.memberId());
    if (r == null) {
      return;
    }
    metrics.relayDeclined();
    String reason = declined.getReason();
    reason = reason.length() > 200 ? reason.substring(0, 200) : reason;
    r.session().send(relayFailed(requester.requestId(), "member " + session.memberId() + " declined: " + reason,
        declined.getRefused()));
  }

  private static SeedEvent relayFailed(long requestId, String reason, boolean refused) {
    return SeedEvent.newBuilder().setRelayFailed(RelayFailed.newBuilder().setRequestId(requestId)
        .setReason(reason).setRefused(refused)).build();
  }

  /** A new certificate for the member of {@code session}'s key. */
  synchronized void renew(MemberStream session) {
    Registration r = members.get(session.memberId());
    if (r == null || r.session() != session) {
      return;
    }
    X509Certificate certificate = ca.issueNode(r.member().getId(), r.address(), session.publicKey(), certTtl);
    metrics.certificateIssued();
    session.send(SeedEvent.newBuilder()
        .setCertificate(CertificateIssued.newBuilder().setCertificate(encoded(certificate))).build());
    log.debug("Renewed a member certificate. peerId={}", r.member().getId());
  }

  /**
   * Member {@code reporter} found {@code suspect} silent, and so did the members it asked: remove it if the seed
   * has not heard from it for {@link Liveness#SEED_CONFIRMS_AFTER} either (longer if its messages lately came
   * irregularly, see {@link Liveness#toleratedSilenceNanos}).
   */
  synchronized void suspect(MemberStream reporter, long suspect, long now) {
    Registration r = members.get(suspect);
    if (r == null) {
      // the reporter missed its departure (it was away): tell it now
      reporter.send(left(suspect, MemberLeft.Reason.FAILED));
      return;
    }
    long silence = now - r.session().lastHeardNanos();
    long silentMillis = TimeUnit.NANOSECONDS.toMillis(silence);
    long tolerated = Liveness.toleratedSilenceNanos(Liveness.SEED_CONFIRMS_AFTER, r.session().recentMaxGapNanos(now),
        Liveness.SEED_CONFIRMS_AFTER_MAX);
    if (silence < tolerated) {
      heard.warn("Member reported silent, but the seed hears it. peerId={} reporter={} silentMs={} toleratedMs={}",
          suspect, reporter.memberId(), silentMillis, TimeUnit.NANOSECONDS.toMillis(tolerated));
    } else if (widespreadSilence(now)) {
      busy.warn("Member reported silent, but so are many others: waiting (the seed or the network is slow)."
          + " peerId={} reporter={} silentMs={}", suspect, reporter.memberId(), silentMillis);
    } else {
      evict(suspect, "member " + reporter.memberId() + " and the seed heard nothing for " + silentMillis + " ms");
    }
  }

  /**
   * Whether several members, and more than a quarter of them, have been silent for
   * {@link Liveness#SEED_CONFIRMS_AFTER} at once. One member freezing is news; many at once means the seed
   * itself, its host or the network is slow (a CPU-starved host, as the Lifeguard extension of SWIM observes),
   * and removing them would remove live members.
   */
  // @GuardedBy("this")
  private boolean widespreadSilence(long now) {
    long silent = members.values().stream()
        .filter(r -> now - r.session().lastHeardNanos() >= Liveness.SEED_CONFIRMS_AFTER.toNanos())
        .count();
    return silent >= 2 && silent * 4 > members.size();
  }

  /** The answer to an indirect probe: how long since the seed heard from {@code peerId}. */
  synchronized SeedEvent probe(long peerId, long now) {
    Registration r = members.get(peerId);
    long silent = r == null ? 0xFFFF_FFFFL
        : Math.min(0xFFFF_FFFEL, TimeUnit.NANOSECONDS.toMillis(now - r.session().lastHeardNanos()));
    return SeedEvent.newBuilder()
        .setProbe(ProbeResponse.newBuilder().setPeerId(peerId).setSilentMs((int) silent)).build();
  }

  /** Some member's barrier for {@code count} members passed: a barrier for up to that many is released for all. */
  synchronized void barrierPassed(int count) {
    if (count > barrierPassed) {
      barrierPassed = count;
      broadcast(0, SeedEvent.newBuilder().setBarrier(BarrierPassed.newBuilder().setMembers(count)).build());
      log.info("Barrier passed. members={}", count);
    }
  }

  /**
   * Sends every member its heartbeat and removes members silent for {@link Liveness#SEED_EVICTS_AFTER}, unless
   * the silence is widespread (then only after {@link Liveness#SEED_EVICTS_ANYWAY_AFTER}); after a pause of the
   * seed itself ({@link Liveness#SELF_PAUSE}) it judges nobody, since it read nothing meanwhile.
   */
  synchronized void tick(long now) {
    boolean paused = lastTick != 0
        && now - lastTick > Liveness.HEARTBEAT_INTERVAL.toNanos() + Liveness.SELF_PAUSE.toNanos();
    lastTick = now;
    if (paused) {
      members.values().forEach(r -> r.session().send(HEARTBEAT));
      return;
    }
    boolean widespread = widespreadSilence(now);
    Map<Long, Long> silent = new TreeMap<>();
    members.forEach((id, r) -> {
      r.session().send(HEARTBEAT);
      long silence = now - r.session().lastHeardNanos();
      if (silence >= Liveness.SEED_EVICTS_ANYWAY_AFTER.toNanos()
          || (silence >= Liveness.SEED_EVICTS_AFTER.toNanos() && !widespread)) {
        silent.put(id, TimeUnit.NANOSECONDS.toMillis(silence));
      }
    });
    silent.forEach((id, millis) -> evict(id, "the seed heard nothing for " + millis + " ms"));
  }

  /** A join was refused with {@code code}: counted. */
  void joinRefused(Status.Code code) {
    metrics.joinRefused(code);
  }

  /**
   * Keeps the newest link report of the member of {@code session}: only its links to other current members, at
   * most one per peer and without fields this seed does not know, so a member can make the seed hold no more
   * than one small record per other member. A report within {@link #MIN_REPORT_GAP} of the member's last one
   * is dropped.
   */
  synchronized void report(MemberStream session, LinkReport report, long now) {
    long id = session.memberId();
    Registration r = members.get(id);
    if (r == null || r.session() != session) {
      return;
    }
    StoredReport last = reports.get(id);
    if (last != null && last.session() == session && now - last.atNanos() < MIN_REPORT_GAP.toNanos()) {
      metrics.report(false);
      rejected.warn("Dropped a member's link report sent too soon after its last. peerId={}", id);
      return;
    }
    Map<Long, LinkStatus> links = new TreeMap<>();
    for (LinkStatus link : report.getLinksList()) {
      if (link.getPeerId() != id && members.containsKey(link.getPeerId())) {
        links.putIfAbsent(link.getPeerId(), LinkStatus.newBuilder()
            .setPeerId(link.getPeerId())
            .setUp(link.getUp())
            .setRttUs(link.getRttUs())
            .setSrttUs(link.getSrttUs())
            .setPathValue(KNOWN_PATHS.contains(link.getPathValue()) ? link.getPathValue()
                : LinkPath.LINK_PATH_UNSPECIFIED_VALUE)
            .setPrimesServed(link.getPrimesServed())
            .setPrimesRefused(link.getPrimesRefused())
            .setPrimesFailed(link.getPrimesFailed())
            .build());
      }
    }
    reports.put(id, new StoredReport(session, now, List.copyOf(links.values())));
    metrics.report(true);
  }

  /** The cluster as the seed sees it now: every member, when it was last heard, its newest link report. */
  synchronized ClusterStatus clusterStatus(long now) {
    ClusterStatus.Builder status = ClusterStatus.newBuilder().setNowUnixMs(ids.nowMillis());
    members.forEach((id, r) -> {
      MemberStatus.Builder member = MemberStatus.newBuilder()
          .setMember(r.member())
          .setJoinedUnixMs(r.joinedAtMillis())
          .setSilentMs(Math.max(0, TimeUnit.NANOSECONDS.toMillis(now - r.session().lastHeardNanos())));
      StoredReport report = reports.get(id);
      if (report != null && report.session() == r.session()) {
        member.setReported(true)
            .setReportAgeMs(Math.max(0, TimeUnit.NANOSECONDS.toMillis(now - report.atNanos())))
            .addAllLinks(report.links());
      }
      status.addMembers(member);
    });
    return status.build();
  }

  synchronized boolean isMember(long id) {
    return members.containsKey(id);
  }

  synchronized int size() {
    return members.size();
  }

  private void broadcast(long except, SeedEvent event) {
    members.forEach((id, r) -> {
      if (id != except) {
        r.session().send(event);
      }
    });
  }

  private static SeedEvent left(long id, MemberLeft.Reason reason) {
    return SeedEvent.newBuilder().setLeft(MemberLeft.newBuilder().setId(id).setReason(reason)).build();
  }

  private static ByteString encoded(X509Certificate certificate) {
    try {
      return ByteString.copyFrom(certificate.getEncoded());
    } catch (CertificateEncodingException e) {
      throw new IllegalStateException("cannot encode a certificate the seed just issued", e);
    }
  }
}
