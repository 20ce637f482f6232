package io.boxer.node;

import io.boxer.node.agentlink.AgentEndpoint;
import io.boxer.node.agentlink.AgentPrimer;
import io.boxer.node.membership.Membership;
import io.boxer.node.membership.Peer;
import io.boxer.node.membership.SeedConnection;
import io.boxer.node.mesh.LocalPortNioSocketChannel;
import io.boxer.node.mesh.MeshDialer;
import io.boxer.node.mesh.MeshLinks;
import io.boxer.node.mesh.MeshService;
import io.boxer.node.priming.ListenerProbe;
import io.boxer.node.priming.NatPrimer;
import io.boxer.node.priming.PrimeHandler;
import io.boxer.proto.seed.v1.Welcome;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioChannelOption;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Boxer node: joins the cluster through the seed, builds the control mesh to every other member through
 * the NATs, answers prime requests for this host's listeners, and serves the local agents.
 *
 * <p>Mesh order for a pair of members: the older (lower id) primes its NAT toward the newer one's control
 * endpoint and reports it to the seed; the seed tells the newer one, which dials from its own control port.
 * Whenever the newer has no link to an older member and is not dialing it (the first prime or its report
 * got lost, a dial failed, a link closed), a once-a-second repair tick asks the older, through the seed, to
 * prime again after {@link #REPAIR_AFTER}. Priming happens only on such a request, never on its own timer:
 * a priming SYN that crossed a dial in flight would be a TCP simultaneous open, which the older's listener
 * answers with RST.
 *
 * <p>Lifecycle: {@link #start()} once, {@link #close()} once; a second start fails. Node events (seed
 * stream, priming, dial outcomes) run serially on one thread this node owns.
 */
public final class BoxerNode implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(BoxerNode.class);
  // A lost SYN is retransmitted after 1 s and 3 s: past that, a fresh prime is the faster way.
  private static final Duration DIAL_TIMEOUT = Duration.ofSeconds(3);
  /** How long the newer member waits for a link to an older one before asking it to prime (again). */
  static final Duration REPAIR_AFTER = Duration.ofSeconds(3);
  private static final Duration REPAIR_TICK = Duration.ofSeconds(1);

  private enum State { NEW, RUNNING, CLOSED }

  private final NodeConfig config;
  private final Membership membership = new Membership();
  private final MeshLinks links = new MeshLinks();
  private final NatPrimer natPrimer = new NatPrimer();
  private final PrimeHandler primeHandler = new PrimeHandler(new ListenerProbe(), natPrimer);
  // touched only on the events thread
  private final Set<Long> dialing = new HashSet<>();
  // older member id -> when we started waiting for a link to it (System.nanoTime); absent when linked
  private final Map<Long, Long> waitingSince = new HashMap<>();
  private final CountDownLatch started = new CountDownLatch(1);

  private State state = State.NEW;
  private EventLoopGroup eventLoop;
  private ScheduledExecutorService events;
  private Server controlServer;
  private ManagedChannel seedChannel;
  private SeedConnection seed;
  private MeshDialer dialer;
  private AgentEndpoint agentEndpoint;
  private volatile Peer self;
  private int controlPort;

  public BoxerNode(NodeConfig config) {
    this.config = config;
  }

  /**
   * Starts the control server, joins through the seed and, if configured, opens the agent endpoint. Returns
   * once joined; mesh links come up in the background (see {@link #awaitMesh}).
   *
   * @throws JoinException if the seed rejects this node or cannot be reached
   * @throws IOException if the control port or agent socket cannot be bound
   */
  public synchronized void start() throws JoinException, IOException, InterruptedException {
    if (state != State.NEW) {
      throw new IllegalStateException("node already " + state.name().toLowerCase());
    }
    state = State.RUNNING;
    eventLoop = new NioEventLoopGroup(2, new DefaultThreadFactory("boxer-netty", true));
    events = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "boxer-node-events");
      t.setDaemon(true);
      return t;
    });
    // seed events that race with the end of start() wait here until self and the dialer exist
    events.execute(this::awaitStarted);

    MeshService meshService = new MeshService(() -> self == null ? 0 : self.id(), membership, links, primeHandler);
    controlServer = GrpcLifecycle.withKeepalive(NettyServerBuilder.forPort(config.controlPort()))
        .channelType(NioServerSocketChannel.class)
        .bossEventLoopGroup(eventLoop)
        .workerEventLoopGroup(eventLoop)
        // the control port is shared with the dialing sockets and the priming sockets
        .withOption(NioChannelOption.of(StandardSocketOptions.SO_REUSEPORT), true)
        .addService(ServerInterceptors.intercept(meshService, new RemoteAddressInterceptor()))
        // mesh handlers never block (a prime is a few syscalls): no hop to an executor thread
        .directExecutor()
        .build()
        .start();
    controlPort = controlServer.getPort();

    int port = controlPort;
    seedChannel = GrpcLifecycle.withKeepalive(NettyChannelBuilder.forAddress(resolve(config.seed())))
        .eventLoopGroup(eventLoop)
        .channelFactory(() -> new LocalPortNioSocketChannel(port))
        .usePlaintext()
        .build();
    seed = new SeedConnection(seedChannel);
    Welcome welcome = seed.join(controlPort, config.joinAttempts(), config.firstRetryDelay(), seedListener());
    self = new Peer(welcome.getNodeId(), Endpoints.fromProto(welcome.getObserved()));
    membership.putAll(welcome.getMembersList().stream()
        .map(m -> new Peer(m.getId(), Endpoints.fromProto(m.getControl())))
        .toList());
    dialer = new MeshDialer(eventLoop, controlPort, self.id(), links, primeHandler);
    log.info("Joined the cluster. peerId={} addr={} controlPort={} members={}",
        self.id(), self.control(), controlPort, membership.snapshot().size());
    events.scheduleWithFixedDelay(() -> repairTick(System.nanoTime()),
        REPAIR_TICK.toMillis(), REPAIR_TICK.toMillis(), TimeUnit.MILLISECONDS);

    if (config.agentSocket() != null) {
      agentEndpoint = new AgentEndpoint(config.agentSocket(), membership, () -> self,
          new AgentPrimer(membership, links, () -> self, config.primeTimeout()));
      agentEndpoint.start();
    }
    started.countDown();
  }

  private static InetSocketAddress resolve(InetSocketAddress seed) throws JoinException {
    InetSocketAddress resolved = seed.isUnresolved() ? new InetSocketAddress(seed.getHostString(), seed.getPort()) : seed;
    if (resolved.isUnresolved()) {
      throw new JoinException("cannot resolve the seed host " + seed.getHostString(), false, null);
    }
    return resolved;
  }

  private SeedConnection.Listener seedListener() {
    return new SeedConnection.Listener() {
      @Override
      public void onJoined(Peer peer) {
        onEvents(() -> memberJoined(peer));
      }

      @Override
      public void onLeft(long id) {
        onEvents(() -> memberLeft(id));
      }

      @Override
      public void onPeerPrimed(long peerId) {
        onEvents(() -> dial(peerId));
      }

      @Override
      public void onPrimeRequested(long peerId) {
        onEvents(() -> primeToward(peerId));
      }

      @Override
      public void onSeedLost(Throwable cause) {
        if (state == State.RUNNING) {
          log.warn("Lost the seed; the mesh keeps running without it. reason={}", cause.getMessage());
        }
      }
    };
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

  private void memberJoined(Peer peer) {
    membership.put(peer);
    log.info("Member joined. peerId={} addr={}", peer.id(), peer.control());
    primeToward(peer.id());
  }

  /** Opens our NAT for one dial from a newer member's control port, then tells it through the seed. */
  private void primeToward(long peerId) {
    Peer peer = membership.get(peerId).orElse(null);
    if (peer == null || peer.id() <= self.id() || links.isLinked(peerId)) {
      return;
    }
    try {
      natPrimer.prime(controlPort, peer.control());
    } catch (IOException e) {
      log.warn("Priming toward member failed. peerId={} addr={} reason={}", peer.id(), peer.control(), e.toString());
      return;
    }
    seed.reportPrimed(self.id(), peer.id());
  }

  /** Dials an older member that has just primed toward us. */
  private void dial(long peerId) {
    Peer peer = membership.get(peerId).orElse(null);
    if (peer == null || links.isLinked(peerId) || !dialing.add(peerId)) {
      return;
    }
    dialer.dial(peer, DIAL_TIMEOUT).whenComplete((link, error) -> onEvents(() -> dialEnded(peer, error)));
  }

  private void dialEnded(Peer peer, Throwable error) {
    dialing.remove(peer.id());
    if (error == null) {
      waitingSince.remove(peer.id());
    } else if (state == State.RUNNING && membership.get(peer.id()).isPresent()) {
      log.info("Dialing member failed; the next repair tick asks it to prime again. peerId={} reason={}",
          peer.id(), error.toString());
      waitingSince.put(peer.id(), System.nanoTime() - REPAIR_AFTER.toNanos());
    }
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
        seed.requestPrime(self.id(), peer.id());
        waitingSince.put(peer.id(), now);
      }
    }
  }

  private void memberLeft(long id) {
    waitingSince.remove(id);
    membership.remove(id).ifPresent(p -> log.info("Member left. peerId={} addr={}", id, p.control()));
    links.close(id);
    dialer.forget(id);
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

  /** The number of members this node can reach: itself plus every member with an open control link. */
  public int readyMembers() {
    Peer me = self;
    return (int) membership.snapshot().stream()
        .filter(p -> me != null && (p.id() == me.id() || links.isLinked(p.id())))
        .count();
  }

  /**
   * Waits until at least {@code members} members are ready (see {@link #readyMembers()}) and every known
   * member is linked. {@code progress} is called with the ready count each time it changes.
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
      if (ready >= members && ready == membership.snapshot().size()) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(50);
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
    events.awaitTermination(2, TimeUnit.SECONDS);
    if (agentEndpoint != null) {
      try {
        agentEndpoint.close();
      } catch (IOException e) {
        log.warn("Closing the agent endpoint failed. reason={}", e.toString());
      }
    }
    if (seed != null) {
      seed.leave();
    }
    links.closeAll();
    if (dialer != null) {
      dialer.close();
    }
    GrpcLifecycle.shutdown(seedChannel);
    GrpcLifecycle.shutdown(controlServer);
    eventLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS).await(3, TimeUnit.SECONDS);
    log.info("Left the cluster. peerId={}", self == null ? 0 : self.id());
  }
}
