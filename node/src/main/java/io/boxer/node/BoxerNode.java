package io.boxer.node;

import io.boxer.control.CallerInterceptor;
import io.boxer.control.Endpoints;
import io.boxer.control.GrpcLifecycle;
import io.boxer.control.Liveness;
import io.boxer.control.ServerLimits;
import io.boxer.control.TokenBucket;
import io.boxer.control.tls.CertifiedIdentity;
import io.boxer.control.tls.TlsContexts;
import io.boxer.control.tls.TlsIdentity;
import io.boxer.node.agentlink.AgentEndpoint;
import io.boxer.node.agentlink.AgentPrimer;
import io.boxer.node.liveness.FailureDetector;
import io.boxer.node.membership.JoinCredentials;
import io.boxer.node.membership.Membership;
import io.boxer.node.membership.Peer;
import io.boxer.node.membership.RstProbeOffer;
import io.boxer.node.membership.SeedSession;
import io.boxer.node.mesh.LinkHandler;
import io.boxer.node.mesh.LocalPortNioSocketChannel;
import io.boxer.node.mesh.MeshDialer;
import io.boxer.node.mesh.MeshLink;
import io.boxer.node.mesh.MeshLinks;
import io.boxer.node.mesh.MeshService;
import io.boxer.node.mesh.OwnSplices;
import io.boxer.node.mesh.PrimedPathCheck;
import io.boxer.node.mesh.SimultaneousOpener;
import io.boxer.node.priming.ListenerProbe;
import io.boxer.node.priming.NatPrimer;
import io.boxer.node.priming.PrimeHandler;
import io.boxer.node.priming.PrimePolicy;
import io.boxer.node.relay.Relays;
import io.boxer.proto.mesh.v1.Goodbye;
import io.boxer.proto.mesh.v1.PrimeRequest;
import io.boxer.proto.mesh.v1.PrimeResponse;
import io.boxer.proto.agent.v1.NodeStatus;
import io.boxer.proto.seed.v1.BarrierPassed;
import io.boxer.proto.seed.v1.LinkReport;
import io.boxer.proto.seed.v1.MemberLeft;
import io.boxer.proto.seed.v1.NodeMessage;
import io.boxer.proto.seed.v1.PeerRef;
import io.boxer.proto.seed.v1.ProbeRequest;
import io.boxer.proto.seed.v1.RelayOffer;
import io.boxer.proto.v1.LinkPath;
import io.boxer.proto.v1.PrimeResult;
import io.boxer.proto.seed.v1.SeedEvent;
import io.boxer.proto.seed.v1.SimultaneousOpen;
import io.boxer.proto.seed.v1.Welcome;
import io.boxer.proto.v1.Member;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Boxer node: joins the cluster through the seed (TLS, join token), builds the control mesh to every other
 * member through the NATs (mutual TLS with the certificates the seed issues), answers authorized prime
 * requests for this host's listeners, watches every member's liveness, and serves the local agents.
 *
 * <p>Mesh order for a pair of members: the older (lower id) primes its NAT toward the newer one's control
 * endpoint and reports it to the seed; the seed tells the newer one, which dials from its own control port.
 * Whenever the newer has no link to an older member and is not dialing it (the first prime or its report
 * got lost, a dial failed, a link closed), a once-a-second repair tick asks the older, through the seed, to
 * prime again after {@link #REPAIR_AFTER}. Priming happens only on such a request, never on its own timer:
 * a priming SYN that crossed a dial in flight would be a TCP simultaneous open, which the older's listener
 * answers with RST. Where a primed dial cannot pass (a NAT that tracks sequence windows) and the seed relays, the
 * newer has the older open simultaneously from a fresh port ({@link SimultaneousOpener}), then falls back to the
 * relay (docs/relay.md).
 *
 * <p>Liveness ({@link Liveness}): every link and the seed session carry heartbeats; the {@link
 * FailureDetector} suspects silent members (connects to them fail at once) and has them removed.
 * A node that the cluster declared dead (it was frozen) rejoins with its id and certificate, or reports
 * itself through {@link #fatal()} if it cannot.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} once; a second start fails. Node events (seed
 * events, priming, dial outcomes, ticks) run serially on one thread this node owns.
 */
public final class BoxerNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BoxerNode.class);
  // A lost SYN is retransmitted after 1 s and 3 s: past that, a fresh prime is the faster way.
  private static final Duration DIAL_CONNECT_TIMEOUT = Duration.ofSeconds(3);
  /**
   * With a relay to fall back on, a direct dial gets this long to connect: a primed dial connects within one
   * round trip, so a dial that has not after a second meets a NAT that drops it (strict tracking), or lost its
   * SYN, and a simultaneous open or the relay is the faster way on (docs/relay.md).
   */
  static final Duration DIRECT_DIAL_TIMEOUT = Duration.ofSeconds(1);
  // A member this node has had a direct link to is never relayed: the path exists, so a failed re-dial is a
  // liveness matter (the member is frozen or gone) that the repair ticks handle as before, and a link relayed for it
  // would depend on the seed, which the mesh must outlive (FailureIT caught this).
  /**
   * After a failed primed dial, how long the older member may take to answer a request for a simultaneous open
   * through the seed, and then how long the dial toward the port it names may take to connect (its connect waits
   * {@link SimultaneousOpener#CONNECT_WITHIN} for ours).
   */
  private static final Duration SIMULTANEOUS_ANSWER_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration SIMULTANEOUS_DIAL_TIMEOUT = Duration.ofSeconds(2);
  /** How long setting up a relayed control link (seed round trip, relay pairing) may take. */
  private static final Duration RELAY_SETUP_TIMEOUT = Duration.ofSeconds(10);
  // Once connected, the TLS handshake and the hello may take long on a host starting many JVMs at once (seen:
  // 10 s with 16 nodes starting together on 2 cores); giving up only wastes the handshake the peer is about to
  // finish, a fresh prime would not be faster, and its SYN could meet this dial (a simultaneous open).
  private static final Duration DIAL_HELLO_TIMEOUT = Duration.ofSeconds(30);
  /** How long the newer member waits for a link to an older one before asking it to prime (again). */
  static final Duration REPAIR_AFTER = Duration.ofSeconds(3);
  private static final Duration REPAIR_TICK = Duration.ofSeconds(1);
  /**
   * The node's timer runs when the failure detector next needs it (every 50 ms while a member is probed or
   * suspected, else once a member could have fallen silent), and at least this often for the seed session and
   * the link reports: an idle node's events thread wakes about twice a second.
   */
  private static final long TICK_AT_LEAST_EVERY_NANOS = Liveness.HEARTBEAT_INTERVAL.toNanos();
  /** A node declared dead that cannot rejoin within this long gives up (see {@link #fatal()}). */
  static final Duration REJOIN_WITHIN = Duration.ofSeconds(10);
  /** Prime requests the seed may relay toward one member: repairs are rare. */
  private static final int RELAYED_PRIMES_PER_SECOND = 2;
  private static final int RELAYED_PRIME_BURST = 5;

  private enum State { NEW, RUNNING, CLOSED }

  private final NodeConfig config;
  private final Membership membership = new Membership();
  private final MeshLinks links = new MeshLinks();
  private final TlsIdentity identity = TlsIdentity.generate();
  private final PrimeHandler primeHandler;
  private final NodeMetrics metrics;
  private final NodeStatusView statusView;
  private final LinkReportSchedule linkReports = new LinkReportSchedule(); // events thread
  private final NatPrimer natPrimer = new NatPrimer();
  private final OwnSplices splices = new OwnSplices(); // relayed and simultaneously opened links to our control port
  private final CompletableFuture<String> fatal = new CompletableFuture<>();
  private final Map<Long, TokenBucket> relayedPrimes = new ConcurrentHashMap<>();
  // touched only on the events thread
  private final Set<Long> dialing = new HashSet<>();
  // external addresses this node has had a direct link to (see DIRECT_DIAL_TIMEOUT): kept when a member leaves, since
  // one that is declared dead rejoins from the same address; bounded (cleared when full)
  private final Set<InetAddress> directBefore = new HashSet<>();
  private static final int MAX_DIRECT_BEFORE = 4096;
  // older member id -> when we started waiting for a link to it (System.nanoTime); absent when linked
  private final Map<Long, Long> waitingSince = new HashMap<>();
  private long lastTick;
  private long nextRepairAt; // events thread
  private long rejoinDeadline; // 0: not rejoining
  private long frozenCheckUntil; // 0: no freeze to check
  private final CountDownLatch started = new CountDownLatch(1);

  private State state = State.NEW;
  private IoEventLoopGroup eventLoop; // the mesh: control server, links, agent endpoint; one thread
  private EventLoopGroup relayEventLoop; // relayed application connections
  private EventLoopGroup seedEventLoop;
  private ScheduledExecutorService events;
  private ScheduledExecutorService heartbeats;
  private Server controlServer;
  private SeedSession session;
  private MeshDialer dialer;
  private FailureDetector detector;
  private AgentEndpoint agentEndpoint;
  private volatile Relays relays;
  private volatile SimultaneousOpener opener;
  private volatile PrimedPathCheck primedPaths;
  // older member id -> its answer to our request for a simultaneous open (the port it connects from)
  private final Map<Long, CompletableFuture<Integer>> simultaneousAnswers = new ConcurrentHashMap<>();
  private InetSocketAddress seedAddress;
  private volatile Peer self;
  private volatile int barrierPassed;
  private volatile boolean barrierReported;
  private int controlPort;
  private RstProbeOffer rstProbeOffer; // held while the node runs: rejoins offer the same port

  public BoxerNode(NodeConfig config) {
    this(config, new CompositeMeterRegistry()); // a registry with no backend: counts nothing
  }

  /** A node that counts what it does in {@code registry} (see {@link NodeMetrics}). */
  public BoxerNode(NodeConfig config, MeterRegistry registry) {
    this.config = config;
    this.primeHandler = new PrimeHandler(new ListenerProbe(), natPrimer, config::role, () -> controlPort,
        this::afterPrimeAnswered);
    this.metrics = new NodeMetrics(registry);
    metrics.bindPrimesServed(primeHandler.counters());
    metrics.bindMembers(() -> membership.snapshot().size());
    metrics.bindLinks(() -> links.open().stream().map(MeshLink::path).toList());
    this.statusView = new NodeStatusView(links, primeHandler);
    membership.addListener(peers -> {
      Peer me = self;
      metrics.trackLinkRtts(peers, me == null ? 0 : me.id(), this::smoothedRttSeconds);
    });
  }

  private double smoothedRttSeconds(long peerId) {
    long micros = links.get(peerId).map(MeshLink::smoothedRttMicros).orElse(0L);
    return micros == 0 ? Double.NaN : micros / 1e6;
  }

  /**
   * Starts the control server, joins through the seed and, if configured, opens the agent endpoint. Returns
   * once joined; mesh links come up in the background (see {@link #awaitMesh}).
   *
   * @throws JoinException if the seed rejects this node, is not this cluster's seed, or cannot be reached
   * @throws IOException if the control port or agent socket cannot be bound
   */
  public synchronized void start() throws JoinException, IOException, InterruptedException {
    if (state != State.NEW) {
      throw new IllegalStateException("node already " + state.name().toLowerCase());
    }
    state = State.RUNNING;
    // One thread for the whole control plane: the agent endpoint is served on the thread its primes' mesh links
    // run on, so a prime leaves with no thread hand-off (docs/prime-path.md); the relayed application bytes,
    // the one bulk traffic a node carries, have a thread of their own and cannot delay a prime.
    eventLoop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("boxer-netty", true),
        NioIoHandler.newFactory());
    relayEventLoop = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("boxer-relay", true),
        NioIoHandler.newFactory());
    // the seed stream on a thread of its own: a burst of mesh TLS handshakes on a cold JVM must not hold back
    // this node's heartbeats to the seed (the seed would find it silent and remove it)
    seedEventLoop = new NioEventLoopGroup(1, new DefaultThreadFactory("boxer-seed-io", true));
    events = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "boxer-node-events");
      t.setDaemon(true);
      return t;
    });
    heartbeats = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "boxer-heartbeats");
      t.setDaemon(true);
      return t;
    });
    // seed events that race with the end of start() wait here until self and the dialer exist
    events.execute(this::awaitStarted);

    LinkHandler linkHandler = new NodeLinkHandler();
    MeshService meshService = new MeshService(() -> self == null ? 0 : self.id(), membership, links, linkHandler,
        events, splices);
    controlServer = ServerLimits.MESH.apply(NettyServerBuilder.forPort(config.controlPort()))
        .channelType(NioServerSocketChannel.class)
        .bossEventLoopGroup(eventLoop)
        .workerEventLoopGroup(eventLoop)
        // the control port is shared with the dialing sockets and the priming sockets
        .withOption(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true)
        // a closed link leaves no TIME_WAIT: the pair's next link and primes reuse the same 4-tuple
        .withChildOption(ChannelOption.SO_LINGER, 0)
        .sslContext(TlsContexts.server(identity, config.trust().trustManager(BoxerNode::requireMember),
            ClientAuth.REQUIRE))
        .addService(ServerInterceptors.intercept(meshService, new CallerInterceptor()))
        // mesh handlers never block (a prime is a few syscalls): no hop to an executor thread
        .directExecutor()
        .build()
        .start();
    controlPort = controlServer.getPort();

    int port = controlPort;
    seedAddress = resolve(config.seed());
    relays = new Relays(relayEventLoop, message -> session.send(message), this::relayAdmission, controlPort, splices);
    opener = new SimultaneousOpener(eventLoop, controlPort, splices);
    primedPaths = new PrimedPathCheck(eventLoop, () -> self.externalIp());
    metrics.bindRelays(relays.counters());
    session = new SeedSession(
        () -> GrpcLifecycle.withKeepalive(NettyChannelBuilder.forAddress(seedAddress))
            .eventLoopGroup(seedEventLoop)
            .directExecutor() // the session's handlers never block: no hop to an executor thread per event
            .channelFactory(() -> new LocalPortNioSocketChannel(port))
            // closing sends RST: no TIME_WAIT holds the control port's 4-tuple when the session reconnects
            .withOption(ChannelOption.SO_LINGER, 0)
            // a context per channel: a resumed TLS session would carry on the first join's lack of a certificate
            .sslContext(seedTls())
            .build(),
        joinCredentials(), new SessionListener());
    Welcome welcome = session.join(config.joinAttempts(), config.firstRetryDelay());
    install(welcome.getCertificate().toByteArray());
    Optional<Member> selfMember = welcome.getMembersList().stream().filter(m -> m.getId() == welcome.getNodeId())
        .findFirst();
    self = new Peer(welcome.getNodeId(), Endpoints.fromProto(welcome.getObserved()), config.role(),
        selfMember.map(Member::getRelayOnly).orElse(false), selfMember.map(Member::getAnswersRst).orElse(false),
        selfMember.map(Member::getVirtualAddress).orElse(false));
    applyWelcome(welcome);
    dialer = new MeshDialer(eventLoop, controlPort, self.id(), links, linkHandler, identity, config.trust());
    detector = new FailureDetector(self.id(), new DetectorActions());
    log.info("Joined the cluster. peerId={} addr={} role={} controlPort={} relayOnly={} answersRst={} relay={}"
        + " members={} tls={}", self.id(), self.control(), config.role(), controlPort, self.relayOnly(),
        self.answersRst(), relays.available(), membership.snapshot().size(), TlsContexts.implementation());
    nextRepairAt = System.nanoTime() + REPAIR_TICK.toNanos();
    scheduleTick(System.nanoTime() + FailureDetector.JUDGE_EVERY_NANOS);
    // heartbeats on a thread of their own: work on the events thread (a dial's TLS setup on a cold JVM) must not
    // make this node look silent to its peers
    heartbeats.scheduleAtFixedRate(this::heartbeat, Liveness.millisToNextBeat(System.currentTimeMillis()),
        Liveness.HEARTBEAT_INTERVAL.toMillis(), TimeUnit.MILLISECONDS); // on the beat, as every member and the seed

    if (config.agentSocket() != null) {
      agentEndpoint = new AgentEndpoint(config.agentSocket(), membership, () -> self,
          new AgentPrimer(membership, links, () -> self, config.primeTimeout(), id -> detector.isSuspected(id),
              metrics::primeRequested, relays::connect), this::status, eventLoop.next());
      agentEndpoint.start();
    }
    started.countDown();
  }

  private SslContext seedTls() {
    try {
      return TlsContexts.client(identity, config.trust().trustManager(BoxerNode::requireSeed));
    } catch (javax.net.ssl.SSLException e) {
      throw new IllegalStateException("cannot set up TLS toward the seed: " + e.getMessage(), e);
    }
  }

  private static void requireMember(CertifiedIdentity peer) throws CertificateException {
    if (peer.kind() != CertifiedIdentity.Kind.NODE) {
      throw new CertificateException("a mesh peer must hold a member certificate, not " + peer.uri());
    }
  }

  private static void requireSeed(CertifiedIdentity peer) throws CertificateException {
    if (peer.kind() != CertifiedIdentity.Kind.SEED) {
      throw new CertificateException("the seed must hold the seed certificate, not " + peer.uri());
    }
  }

  private static InetSocketAddress resolve(InetSocketAddress seed) throws JoinException {
    InetSocketAddress resolved = seed.isUnresolved() ? new InetSocketAddress(seed.getHostString(), seed.getPort()) : seed;
    if (resolved.isUnresolved()) {
      throw new JoinException("cannot resolve the seed host " + seed.getHostString(), false, null);
    }
    return resolved;
  }

  /** Takes a certificate the seed issued for this node's key, after checking it names this node's key. */
  private void install(byte[] der) {
    try {
      X509Certificate certificate = (X509Certificate) CertificateFactory.getInstance("X.509")
          .generateCertificate(new ByteArrayInputStream(der));
      config.trust().verify(new X509Certificate[] {certificate}, false);
      identity.install(certificate);
    } catch (CertificateException | IllegalArgumentException e) {
      throw new IllegalStateException("the seed issued an unusable certificate: " + e.getMessage(), e);
    }
  }

  private void applyWelcome(Welcome welcome) {
    relays.relayAt(welcome.getRelayPort() == 0 ? null
        : new InetSocketAddress(seedAddress.getAddress(), welcome.getRelayPort()));
    membership.putAll(welcome.getMembersList().stream().map(BoxerNode::peer).toList());
    primeHandler.setPolicy(PrimePolicy.of(welcome.hasPolicy() ? welcome.getPolicy() : null));
    barrierPassed = Math.max(barrierPassed, welcome.getBarrierPassed());
  }

  private static Peer peer(Member member) {
    return new Peer(member.getId(), Endpoints.fromProto(member.getControl()),
        member.getRole().isEmpty() ? io.boxer.control.Roles.DEFAULT : member.getRole(), member.getRelayOnly(),
        member.getAnswersRst(), member.getVirtualAddress());
  }

  /** The join credentials, with a port the seed may probe for RSTs if one can be held (see RstProbeOffer). */
  private JoinCredentials joinCredentials() {
    try {
      rstProbeOffer = RstProbeOffer.open();
      return new JoinCredentials(config.token().joinKey(), identity, config.role(), controlPort,
          rstProbeOffer.addresses(), rstProbeOffer.port());
    } catch (IOException e) {
      log.warn("Cannot offer the seed an RST probe port; this node counts as a host that drops stray SYNs."
          + " reason={}", e.toString());
      return new JoinCredentials(config.token().joinKey(), identity, config.role(), controlPort);
    }
  }

  private void awaitStarted() {
    try {
      started.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs node work on the events thread, in order; drops it once the node is closing. */
  private void onEvents(Runnable work) {
    try {
      events.execute(work);
    } catch (RejectedExecutionException e) {
      log.debug("Dropped node event after close.");
    }
  }

  /** What the seed says, on the events thread. */
  private void seedEvent(SeedEvent event) {
    switch (event.getEventCase()) {
      case JOINED -> memberJoined(peer(event.getJoined().getMember()));
      case LEFT -> {
        long id = event.getLeft().getId();
        if (id == self.id()) {
          declaredDead("the seed removed this node from the cluster");
        } else {
          memberLeft(id, event.getLeft().getReason() == MemberLeft.Reason.FAILED
              ? Goodbye.Reason.DECLARED_DEAD : null);
        }
      }
      case PRIMED -> dial(event.getPrimed().getPeerId());
      case PRIME_REQUESTED -> {
        long peerId = event.getPrimeRequested().getPeerId();
        if (relayedRequestAllowed(peerId)) {
          primeToward(peerId);
        } else {
          log.debug("Ignored a relayed prime request over its rate limit. peerId={}", peerId);
        }
      }
      case CERTIFICATE -> {
        install(event.getCertificate().getCertificate().toByteArray());
        identity.certificate().ifPresent(session::certificateRenewed);
        log.debug("Certificate renewed. peerId={}", self.id());
      }
      case PROBE -> detector.vouch(event.getProbe().getPeerId(),
          Integer.toUnsignedLong(event.getProbe().getSilentMs()), System.nanoTime());
      case BARRIER -> barrierPassed = Math.max(barrierPassed, event.getBarrier().getMembers());
      case RELAY_TICKET -> relays.ticket(event.getRelayTicket());
      case RELAY_FAILED -> relays.failed(event.getRelayFailed());
      case RELAY_OFFER -> relayOffered(event.getRelayOffer());
      case SIMULTANEOUS_OPEN_REQUESTED -> openSimultaneously(event.getSimultaneousOpenRequested().getPeerId());
      case SIMULTANEOUS_OPEN -> simultaneousOpenAnswered(event.getSimultaneousOpen());
      default -> log.debug("Ignored a seed event. event={}", event.getEventCase());
    }
  }

  /** A rejoin's welcome: this node is a member again, with the same id. */
  private void rejoined(Welcome welcome) {
    if (welcome.getNodeId() != self.id()) {
      fatal.complete("the seed gave this node a new id on rejoin (" + welcome.getNodeId() + " instead of "
          + self.id() + ")");
      return;
    }
    install(welcome.getCertificate().toByteArray());
    applyWelcome(welcome);
    forgetMembersMissedWhileAway(welcome);
    rejoinDeadline = 0;
    detector.reset();
    membership.clearSuspected(); // judged anew, as the detector does
    linkReports.reset(); // the seed holds no report of this new session
    // members newer than us that we have no link to (they joined while the seed or we were away): prime
    for (Peer peer : membership.snapshot()) {
      primeToward(peer.id());
    }
  }

  /**
   * Members this node knows that the seed's welcome does not list: gone while this node was away from the
   * seed, unless their link still speaks (then the seed restarted and they have not rejoined it yet; they
   * will, or this node's failure detector finds them dead).
   */
  private void forgetMembersMissedWhileAway(Welcome welcome) {
    Set<Long> listed = new HashSet<>();
    welcome.getMembersList().forEach(m -> listed.add(m.getId()));
    long now = System.nanoTime();
    for (Peer peer : membership.snapshot()) {
      boolean speaks = links.get(peer.id())
          .filter(l -> now - l.lastHeardNanos() < Liveness.PROBE_AFTER_SILENCE.toNanos()).isPresent();
      if (peer.id() != self.id() && !listed.contains(peer.id()) && !speaks) {
        log.info("Member left while this node was away from the seed. peerId={}", peer.id());
        memberLeft(peer.id(), null);
      }
    }
  }

  /** The cluster removed this node (it was frozen or cut off): rejoin with the same id, or give up. */
  private void declaredDead(String why) {
    if (rejoinDeadline != 0) {
      return;
    }
    log.warn("This node was declared dead by the cluster; rejoining. peerId={} reason={}", self.id(), why);
    rejoinDeadline = System.nanoTime() + REJOIN_WITHIN.toNanos();
    session.rejoinNow(why);
  }

  private void memberJoined(Peer peer) {
    if (peer.id() == self.id()) {
      return;
    }
    if (membership.put(peer)) {
      metrics.memberJoined();
      log.info("Member joined. peerId={} addr={} role={}", peer.id(), peer.control(), peer.role());
    }
    primeToward(peer.id());
  }

  /**
   * Opens our NAT for one dial from a newer member's control port, then tells it through the seed. Toward a member
   * only the relay reaches (or from one), no prime can help: the newer member then dials through the relay.
   */
  private void primeToward(long peerId) {
    Peer peer = membership.get(peerId).orElse(null);
    if (peer == null || peer.id() <= self.id() || links.isLinked(peerId)) {
      return;
    }
    if (dialsInstead(peer)) {
      dial(peerId);
      return;
    }
    try {
      if (!relayOnly(peer)) {
        natPrimer.prime(controlPort, peer.control());
      }
    } catch (IOException e) {
      log.warn("Priming toward member failed. peerId={} addr={} reason={}", peer.id(), peer.control(), e.toString());
      return;
    }
    session.send(NodeMessage.newBuilder().setPrimed(PeerRef.newBuilder().setPeerId(peer.id())).build());
    log.debug("Primed toward member. peerId={}", peer.id());
  }

  /** Dials an older member that has just primed toward us, or a newer one that needs no prime (dialsInstead). */
  private void dial(long peerId) {
    Peer peer = membership.get(peerId).orElse(null);
    if (peer == null || links.isLinked(peerId) || !dialing.add(peerId)) {
      return;
    }
    log.debug("Dialing member. peerId={}", peer.id());
    CompletableFuture<MeshLink> link;
    if (relayOnly(peer)) {
      link = dialRelayed(peer);
    } else if (relays.available() && !directBefore.contains(peer.externalIp())) {
      link = dialer.dial(peer, DIRECT_DIAL_TIMEOUT, DIAL_HELLO_TIMEOUT)
          .handle((direct, error) -> {
            if (error == null) {
              return CompletableFuture.completedFuture(direct);
            }
            if (!(rootOf(error) instanceof ConnectException)) {
              return CompletableFuture.<MeshLink>failedFuture(error); // it connected: the relay would not help
            }
            log.info("Primed dial to member failed; opening simultaneously. peerId={} reason={}", peer.id(),
                rootCause(error));
            return dialSimultaneously(peer).handle((simultaneous, failed) -> {
              if (failed == null) {
                return CompletableFuture.completedFuture(simultaneous);
              }
              log.info("No direct path to member; relaying the control link. peerId={} reason={}", peer.id(),
                  rootCause(failed));
              return dialRelayed(peer);
            }).thenCompose(next -> next);
          })
          .thenCompose(next -> next);
    } else {
      link = dialer.dial(peer, DIAL_CONNECT_TIMEOUT, DIAL_HELLO_TIMEOUT);
    }
    link.whenComplete((up, error) -> onEvents(() -> dialEnded(peer, up, error)));
  }

  /**
   * Whether this (older) node dials the newer {@code peer} instead of priming toward it: the peer's host answers
   * stray SYNs (no firewall), so it accepts a dial without a prime, while our prime toward its listening control
   * port would be answered (a SYN-ACK, then our RST) and would leave no NAT state for its dial (docs/relay.md).
   */
  private boolean dialsInstead(Peer peer) {
    return peer.answersRst() && !self.answersRst() && !relayOnly(peer);
  }

  /** Whether only the relay connects this node and {@code peer}: either one's NAT does not preserve ports. */
  private boolean relayOnly(Peer peer) {
    return peer.relayOnly() || self.relayOnly();
  }

  /**
   * A control link to older member {@code peer} opened simultaneously from both ends (docs/relay.md): asks it,
   * through the seed, to connect toward our control port from a fresh port, then dials that port from ours.
   */
  private CompletableFuture<MeshLink> dialSimultaneously(Peer peer) {
    CompletableFuture<Integer> answer = new CompletableFuture<>();
    CompletableFuture<Integer> previous = simultaneousAnswers.put(peer.id(), answer);
    if (previous != null) {
      previous.completeExceptionally(new IOException("superseded by a newer request"));
    }
    session.send(NodeMessage.newBuilder()
        .setRequestSimultaneousOpen(PeerRef.newBuilder().setPeerId(peer.id())).build());
    long within = SIMULTANEOUS_ANSWER_TIMEOUT.toMillis();
    ScheduledFuture<?> deadline = eventLoop.schedule(() -> answer.completeExceptionally(new IOException("member "
        + peer.id() + " did not answer a request for a simultaneous open within " + within + " ms")),
        within, TimeUnit.MILLISECONDS);
    return answer
        .whenComplete((port, error) -> {
          deadline.cancel(false);
          simultaneousAnswers.remove(peer.id(), answer);
        })
        .thenCompose(port -> dialer.dialSimultaneously(peer, port, SIMULTANEOUS_DIAL_TIMEOUT, DIAL_HELLO_TIMEOUT));
  }

  /**
   * Whether a request the seed relays from member {@code peerId} (a repair prime, a simultaneous open) is within
   * their shared rate limit: repairs are rare, and each costs this node SYNs or a connect.
   */
  private boolean relayedRequestAllowed(long peerId) {
    return relayedPrimes.computeIfAbsent(peerId, id -> new TokenBucket(RELAYED_PRIMES_PER_SECOND, RELAYED_PRIME_BURST))
        .tryTake();
  }

  /**
   * A newer member could not dial our primed control port and asks us to open simultaneously: connect toward its
   * control endpoint from a fresh port, and tell it which (through the seed).
   */
  private void openSimultaneously(long peerId) {
    Peer peer = membership.get(peerId).orElse(null);
    if (peer == null || peer.id() <= self.id() || relayOnly(peer) || links.isLinked(peerId)) {
      log.debug("Ignored a request for a simultaneous open. peerId={}", peerId);
      return;
    }
    if (!relayedRequestAllowed(peerId)) {
      log.debug("Ignored a request for a simultaneous open over its rate limit. peerId={}", peerId);
      return;
    }
    opener.open(peer, port -> session.send(NodeMessage.newBuilder()
            .setSimultaneousOpen(SimultaneousOpen.newBuilder().setPeerId(peerId).setPort(port)).build()))
        .whenComplete((done, error) -> {
          if (error != null) {
            log.info("Simultaneous open with member failed. peerId={} reason={}", peerId, error.getMessage());
          }
        });
  }

  /** The older member we asked for a simultaneous open connects toward us from {@code open.port}. */
  private void simultaneousOpenAnswered(SimultaneousOpen open) {
    CompletableFuture<Integer> answer = simultaneousAnswers.get(open.getPeerId());
    if (answer == null) {
      log.debug("Ignored an unrequested simultaneous open. peerId={}", open.getPeerId());
    } else if (open.getPort() < 1 || open.getPort() > 65535) {
      answer.completeExceptionally(new IOException("member " + open.getPeerId() + " named port "
          + Integer.toUnsignedLong(open.getPort()) + " (expected: 1..65535)"));
    } else {
      answer.complete(open.getPort());
    }
  }

  /** A control link to {@code peer} through the seed's relay. */
  private CompletableFuture<MeshLink> dialRelayed(Peer peer) {
    return relays.connectControl(peer, RELAY_SETUP_TIMEOUT)
        .thenCompose(via -> dialer.dial(peer, via, DIAL_CONNECT_TIMEOUT, DIAL_HELLO_TIMEOUT));
  }

  /** A member asks, through the seed, for a relayed connection to this host. */
  private void relayOffered(RelayOffer offer) {
    Peer from = membership.get(offer.getPeerId()).orElse(null);
    if (from == null) {
      // a member's MemberJoined comes on the same stream before its offers: this one left meanwhile
      relays.decline(offer, new Relays.Refusal("member " + offer.getPeerId() + " is not a member here", false));
      return;
    }
    relays.offer(offer, from);
  }

  /** Whether member {@code from} may have a relayed connection to {@code port}: the rules of a prime. */
  private Relays.Refusal relayAdmission(Peer from, int port) {
    PrimeResponse refusal = primeHandler.admitRelayed(from, port);
    if (refusal == null) {
      return null;
    }
    return refusal.getResult() == PrimeResult.REFUSED
        ? new Relays.Refusal("nothing listens on port " + port + ", or the connection policy forbids it", true)
        : new Relays.Refusal(refusal.getDetail(), false);
  }

  private void dialEnded(Peer peer, MeshLink link, Throwable error) {
    dialing.remove(peer.id());
    if (error == null) {
      waitingSince.remove(peer.id());
      if (link.path() == LinkPath.DIRECT) {
        if (directBefore.size() >= MAX_DIRECT_BEFORE) {
          directBefore.clear();
        }
        directBefore.add(peer.externalIp());
      }
    } else if (state == State.RUNNING && membership.get(peer.id()).isPresent()) {
      log.info("Dialing member failed; the next repair tick asks it to prime again. peerId={} reason={}",
          peer.id(), rootCause(error));
      waitingSince.put(peer.id(), System.nanoTime() - REPAIR_AFTER.toNanos());
    }
  }

  private static Throwable rootOf(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root;
  }

  private static String rootCause(Throwable error) {
    Throwable root = error;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == error ? error.toString() : error.getClass().getSimpleName() + " <- " + root;
  }

  /**
   * For each older member without a link that we are not dialing: after waiting {@link #REPAIR_AFTER} for
   * the link, ask it (again) to prime toward us. Runs on the events thread.
   *
   * @param now the current {@link System#nanoTime()}
   */
  void repairTick(long now) {
    for (Peer peer : membership.snapshot()) {
      if (peer.id() >= self.id() || links.isLinked(peer.id())) {
        waitingSince.remove(peer.id());
        continue;
      }
      if (dialing.contains(peer.id())) {
        continue;
      }
      Long since = waitingSince.putIfAbsent(peer.id(), now);
      if (since != null && now - since >= REPAIR_AFTER.toNanos()) {
        log.info("No control link to an older member; asking it to prime. peerId={}", peer.id());
        session.send(NodeMessage.newBuilder().setRequestPrime(PeerRef.newBuilder().setPeerId(peer.id())).build());
        waitingSince.put(peer.id(), now);
      }
    }
  }

  /** Runs {@link #tick} on the events thread at {@code dueAt} (a {@link System#nanoTime()} value). */
  private void scheduleTick(long dueAt) {
    try {
      events.schedule(() -> {
        long next;
        try {
          next = tick(System.nanoTime(), dueAt);
        } catch (RuntimeException e) { // a bug in one tick must not stop the liveness timer for good
          log.error("The node's timer failed; it goes on. reason={}", e.toString(), e);
          next = System.nanoTime() + TICK_AT_LEAST_EVERY_NANOS;
        }
        scheduleTick(next);
      }, Math.max(0, dueAt - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      log.debug("The node is closing: no more ticks.");
    }
  }

  /**
   * Runs {@code task} once the answer to the prime being handled has gone out. Primes are answered on a mesh
   * link's event loop, and gRPC queues the answer's flush on that loop as a task: a task queued from a task that
   * is queued now runs after that flush. Off an event loop (never, for primes) the task runs at once.
   */
  private void afterPrimeAnswered(Runnable task) {
    EventLoopGroup loops = eventLoop;
    if (loops != null) {
      for (EventExecutor loop : loops) {
        if (loop.inEventLoop()) {
          executeOn(loop, () -> executeOn(loop, task));
          return;
        }
      }
    }
    task.run();
  }

  private static void executeOn(EventExecutor loop, Runnable task) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      log.debug("The node is closing: a task after a prime's answer was dropped.");
    }
  }

  /**
   * The node's timer, on the events thread: the seed session, the failure detector, link repairs and reports,
   * unanswered primes.
   *
   * @param dueAt when this tick was due (a tick much later than due means this process was paused)
   * @return when the next tick is due
   */
  long tick(long now, long dueAt) {
    if (lastTick != 0 && now - lastTick > Liveness.SEED_EVICTS_AFTER.toNanos()) {
      // this whole process was paused (a frozen sandbox): the cluster may have removed us meanwhile
      log.warn("This node was paused; checking that it is still a member. peerId={} pausedMs={}",
          self.id(), TimeUnit.NANOSECONDS.toMillis(now - lastTick));
      frozenCheckUntil = now + Liveness.SEED_EVICTS_AFTER.toNanos();
    }
    lastTick = now;
    session.tick(now);
    long next = now + TICK_AT_LEAST_EVERY_NANOS;
    if (rejoinDeadline == 0) {
      // a node the cluster declared dead does not judge the others: it is the one that was away
      long judgeIn = Math.max(detector.tick(now, dueAt, membership.snapshot()) - now,
          FailureDetector.JUDGE_EVERY_NANOS);
      if (judgeIn < TICK_AT_LEAST_EVERY_NANOS) {
        next = now + judgeIn;
      }
    } else if (now - rejoinDeadline > 0) {
      fatal.complete("this node was removed from the cluster (it was frozen or unreachable) and could not rejoin"
          + " within " + REJOIN_WITHIN.toSeconds() + " s");
    }
    if (now - nextRepairAt >= 0) {
      repairTick(now);
      nextRepairAt = now + REPAIR_TICK.toNanos();
    }
    if (nextRepairAt - next < 0) {
      next = nextRepairAt;
    }
    List<MeshLink> open = links.open();
    open.forEach(link -> link.expirePrimes(now));
    natPrimer.closeIdle(now);
    reportLinks(now, open);
    if (!self.relayOnly()) {
      primedPaths.run(now, open); // links that are not direct: might primed connects get through anyway?
    }
    if (frozenCheckUntil != 0 && now - frozenCheckUntil > 0) {
      frozenCheckUntil = 0;
      boolean anyLink = links.open().stream().anyMatch(l -> now - l.lastHeardNanos() < Liveness.PROBE_AFTER_SILENCE.toNanos());
      if (!session.isUp() && !anyLink && membership.snapshot().size() > 1) {
        fatal.complete("after being paused this node reaches neither the seed nor any member: it is cut off");
      }
    }
    return next;
  }

  /** Tells the seed this node's links when {@link LinkReportSchedule} says so (for {@code boxer status --seed}). */
  /** @param open the open links, as {@link MeshLinks#open} gave them for this tick */
  private void reportLinks(long now, List<MeshLink> open) {
    if (!session.isUp()) {
      return;
    }
    Set<Long> up = new HashSet<>();
    open.forEach(l -> up.add(l.peerId()));
    if (linkReports.due(now, up)) {
      session.send(NodeMessage.newBuilder()
          .setLinks(LinkReport.newBuilder().addAllLinks(statusView.links(self.id(), membership.snapshot())))
          .build());
      linkReports.sent(now, up);
    }
  }

  /** One heartbeat on every link and on the seed session; never blocks (sends are queued). */
  private void heartbeat() {
    links.open().forEach(MeshLink::heartbeat);
    session.heartbeat();
  }

  /** A member left or was removed: forget it; say why to it if it was declared dead. */
  private void memberLeft(long id, Goodbye.Reason reason) {
    waitingSince.remove(id);
    relayedPrimes.remove(id);
    membership.remove(id).ifPresent(p -> {
      metrics.memberLeft();
      log.info("Member left. peerId={} addr={} reason={}", id, p.control(), reason == null ? "left" : "failed");
    });
    links.close(id, reason);
    primeHandler.forget(id); // after its link closed: no prime of its can come in afterwards and count again
    if (dialer != null) {
      dialer.forget(id);
    }
  }

  /** This node as a member (id and external control endpoint); null before {@link #start()} returned. */
  public Peer self() {
    return self;
  }

  /** All members this node knows, itself included, sorted by id. */
  public List<Peer> members() {
    return membership.snapshot();
  }

  /** Calls {@code listener} with the member list now and after every change. */
  public void addMembershipListener(Consumer<List<Peer>> listener) {
    membership.addListener(listener);
  }

  /**
   * Completes with a reason when this node can no longer be a member (declared dead and unable to rejoin, a
   * rejoin refused for good): the launcher stops the command and exits.
   */
  public CompletableFuture<String> fatal() {
    return fatal;
  }

  /**
   * This node's view of the cluster: itself, and every other member with this node's control link to it (up,
   * RTT, path, the primes this node served it). Any thread, once started.
   */
  public NodeStatus status() {
    Peer me = self;
    if (me == null) {
      throw new IllegalStateException("the node has not joined yet");
    }
    return statusView.status(me, membership.snapshot(), System.nanoTime(), System.currentTimeMillis());
  }

  /** What this node's prime handler answered so far. */
  public PrimeHandler.Counters primeCounters() {
    return primeHandler.counters();
  }

  /** The number of members this node can reach: itself plus every member with an open control link. */
  public int readyMembers() {
    Peer me = self;
    return (int) membership.snapshot().stream()
        .filter(p -> me != null && (p.id() == me.id() || links.isLinked(p.id())))
        .count();
  }

  /**
   * Waits until the member barrier for {@code members} is released for this node: this node can reach every
   * current member, and either it reaches at least {@code members} or some member already got that far
   * (then the barrier stays released for everyone, even after that member left). {@code progress} is called
   * with the ready count each time it changes.
   *
   * @return false if {@code timeout} passed first
   */
  public boolean awaitMesh(int members, Duration timeout, IntConsumer progress) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    int reported = -1;
    while (true) {
      int ready = readyMembers();
      if (ready != reported) {
        progress.accept(ready);
        reported = ready;
      }
      if (ready >= members && !barrierReported) {
        barrierReported = true;
        session.send(NodeMessage.newBuilder().setBarrier(BarrierPassed.newBuilder().setMembers(members)).build());
      }
      boolean released = ready >= members || barrierPassed >= members;
      if (released && ready == membership.snapshot().size()) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
  }

  /** Leaves the cluster and releases every resource, in reverse start order. Idempotent. */
  @Override
  public synchronized void close() throws InterruptedException {
    if (state == State.CLOSED) {
      return;
    }
    boolean wasRunning = state == State.RUNNING;
    state = State.CLOSED;
    if (!wasRunning) {
      return;
    }
    started.countDown();
    // no node event may start a dial or call the seed while the rest shuts down
    events.shutdownNow();
    heartbeats.shutdownNow();
    events.awaitTermination(2, TimeUnit.SECONDS);
    heartbeats.awaitTermination(2, TimeUnit.SECONDS);
    if (agentEndpoint != null) {
      try {
        agentEndpoint.close();
      } catch (IOException e) {
        log.warn("Closing the agent endpoint failed. reason={}", e.toString());
      }
    }
    links.closeAll(); // goodbye on every link: peers forget us at once, even without a seed
    if (session != null) {
      session.close();
    }
    if (dialer != null) {
      dialer.close();
    }
    GrpcLifecycle.shutdown(controlServer);
    if (rstProbeOffer != null) {
      try {
        rstProbeOffer.close();
      } catch (IOException e) {
        log.debug("Closing the RST probe port failed. reason={}", e.toString());
      }
    }
    eventLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(3, TimeUnit.SECONDS);
    relayEventLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(3, TimeUnit.SECONDS);
    seedEventLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(3, TimeUnit.SECONDS);
    natPrimer.close(); // after the loops: no prime makes sockets ready any more
    log.info("Left the cluster. peerId={}", self == null ? 0 : self.id());
  }

  /** The seed session's news, handed to the events thread. */
  private final class SessionListener implements SeedSession.Listener {
    @Override
    public void onWelcome(Welcome welcome) {
      onEvents(() -> rejoined(welcome));
    }

    @Override
    public void onEvent(SeedEvent event) {
      onEvents(() -> seedEvent(event));
    }

    @Override
    public void onSessionLost(String reason) {
      if (state == State.RUNNING) {
        log.warn("Lost the seed; the mesh keeps running without it, rejoining. reason={}", reason);
      }
    }

    @Override
    public void onFatal(String reason) {
      fatal.complete(reason);
    }
  }

  /** Requests and news from mesh links, on their transport threads. */
  private final class NodeLinkHandler implements LinkHandler {
    @Override
    public PrimeResponse prime(Peer from, PrimeRequest request) {
      return primeHandler.handle(from, request);
    }

    @Override
    public long silentMillis(long targetId) {
      return links.get(targetId)
          .map(l -> TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - l.lastHeardNanos()))
          .orElse(0xFFFF_FFFFL);
    }

    @Override
    public void onProbeResponse(long targetId, long silentMillis) {
      long now = System.nanoTime();
      onEvents(() -> detector.vouch(targetId, silentMillis, now));
    }

    @Override
    public void onGoodbye(Peer from, Goodbye.Reason reason) {
      onEvents(() -> {
        if (reason == Goodbye.Reason.DECLARED_DEAD) {
          declaredDead("member " + from.id() + " declared this node dead");
        } else {
          memberLeft(from.id(), null);
        }
      });
    }

    @Override
    public void onLinkClosed(MeshLink link) {
      links.remove(link);
    }
  }

  /** What the failure detector makes happen, on the events thread. */
  private final class DetectorActions implements FailureDetector.Actions {
    @Override
    public Long lastHeard(long id) {
      return links.get(id).map(MeshLink::lastHeardNanos).orElse(null);
    }

    @Override
    public int probe(long id) {
      long now = System.nanoTime();
      List<MeshLink> witnesses = links.open().stream()
          .filter(l -> l.peerId() != id && now - l.lastHeardNanos() < Liveness.VOUCH_WITHIN.toNanos())
          .sorted(Comparator.comparingLong(MeshLink::lastHeardNanos).reversed())
          .limit(Liveness.INDIRECT_PROBES)
          .toList();
      witnesses.forEach(l -> l.probe(id));
      if (session.isUp()) {
        session.send(NodeMessage.newBuilder().setProbe(ProbeRequest.newBuilder().setPeerId(id)).build());
        return witnesses.size() + 1;
      }
      return witnesses.size();
    }

    @Override
    public void suspected(Peer peer) {
      log.warn("Member is not responding; connects to it fail until it answers. peerId={} addr={}",
          peer.id(), peer.control());
      links.get(peer.id()).ifPresent(l -> l.failPending("member " + peer.id() + " is not responding (suspected down)"));
      membership.setSuspected(peer.id(), true);
    }

    @Override
    public void refuted(Peer peer) {
      log.info("Member answers again. peerId={}", peer.id());
      membership.setSuspected(peer.id(), false);
    }

    @Override
    public void dead(Peer peer) {
      if (session.isUp()) {
        log.info("Reporting a silent member to the seed. peerId={}", peer.id());
        session.send(NodeMessage.newBuilder().setSuspect(PeerRef.newBuilder().setPeerId(peer.id())).build());
      } else {
        log.warn("Removing a silent member; there is no seed to confirm. peerId={}", peer.id());
        memberLeft(peer.id(), Goodbye.Reason.DECLARED_DEAD);
      }
    }

    @Override
    public void linkBroken(Peer peer) {
      log.info("Control link is silent but the member answers others; dropping the link for repair. peerId={}",
          peer.id());
      links.close(peer.id(), null);
    }
  }
}
