package io.boxer.node.agentlink;

import io.boxer.node.membership.Membership;
import io.boxer.node.membership.Peer;
import io.boxer.proto.agent.v1.NodeStatus;
import io.boxer.proto.agent.v1.Prime;
import io.boxer.proto.agent.v1.PrimeReply;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.nio.NioSelectableChannelIoHandle;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Unix domain socket the local agents talk to (protocol: boxer/agent/v1/agent.proto). Every resource is
 * bounded, whatever the agents (or anything else that can open the socket) do:
 *
 * <ul>
 *   <li>threads: none of its own in a node: every connection is served without blocking on the event loop the
 *       node gives it, the one its mesh links run on ({@link EndpointLoop}), so a prime goes out on its link with
 *       no thread hand-off; primes complete on the thread that reads the answer: on a prime channel it writes the
 *       reply itself ({@link PrimeChannelSession}), on a one-exchange connection it hands the reply back. Without
 *       a loop given (tests) the endpoint runs one of its own, on the thread {@value #THREAD_NAME};
 *   <li>connections: at most {@link EndpointLimits#maxConnections()}, later ones are closed at once;
 *   <li>memory per connection: one request of at most {@link EndpointLimits#maxRequestBytes()} (the length
 *       prefix is checked before the body is stored), then one reply or the newest membership view, or on a
 *       prime channel at most {@link PrimeChannelSession#MAX_IN_FLIGHT} primes and
 *       {@link PrimeChannelSession#MAX_QUEUED_BYTES} bytes of replies;
 *   <li>time: a connection must send its request within {@link EndpointLimits#requestDeadline()} (a prime
 *       channel: each request, once begun); a watch or a prime channel then stays open as long as the agent
 *       keeps it;
 *   <li>log lines: repeated warnings are rate-limited.
 * </ul>
 *
 * <p>Lifecycle: the constructor starts nothing; {@link #start()} creates the socket file (mode 0600) and registers
 * it with the loop, once; {@link #close()} closes every connection within {@link #CLOSE_TIMEOUT} (and ends an
 * own loop) and removes the file. Thread-safe.
 */
public final class AgentEndpoint implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AgentEndpoint.class);

  /** The name of the endpoint's own thread, when no loop is given. */
  static final String THREAD_NAME = "boxer-agent-endpoint";

  /** How long {@link #start()} and {@link #close()} wait for the loop to register the socket, or close it. */
  static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(2);

  private static final Set<PosixFilePermission> OWNER_READ_WRITE = PosixFilePermissions.fromString("rw-------");

  private enum State { NEW, RUNNING, CLOSED }

  private final Path path;
  private final Membership membership;
  private final Supplier<Peer> self;
  private final Function<Prime, CompletableFuture<PrimeReply>> primer;
  private final Supplier<NodeStatus> status;
  private final EndpointLimits limits;
  private final IoEventLoop given; // null: the endpoint runs a loop of its own
  // @GuardedBy("this")
  private State state = State.NEW;
  // @GuardedBy("this")
  private EndpointLoop loop;
  // @GuardedBy("this")
  private IoEventLoopGroup own; // the loop of its own, when none was given

  /**
   * An endpoint with the production limits ({@link EndpointLimits#DEFAULTS}), served on {@code loop}.
   *
   * @param status the node's view for a status request ({@code boxer status}); called on the loop, must not block
   * @param loop the NIO event loop that serves the socket: the node's mesh loop, so that a prime's request leaves
   *     on its link from the thread that read it; the endpoint's work on it never blocks
   */
  public AgentEndpoint(Path path, Membership membership, Supplier<Peer> self, AgentPrimer primer,
      Supplier<NodeStatus> status, IoEventLoop loop) {
    this(path, membership, self, primer::prime, status, EndpointLimits.DEFAULTS, loop);
  }

  AgentEndpoint(Path path, Membership membership, Supplier<Peer> self, AgentPrimer primer,
      Supplier<NodeStatus> status, EndpointLimits limits) {
    this(path, membership, self, primer::prime, status, limits);
  }

  /** An endpoint on a loop of its own (tests). */
  AgentEndpoint(Path path, Membership membership, Supplier<Peer> self,
      Function<Prime, CompletableFuture<PrimeReply>> primer, Supplier<NodeStatus> status, EndpointLimits limits) {
    this(path, membership, self, primer, status, limits, null);
  }

  /**
   * @param primer answers a prime request: returns at once, with a future that never completes exceptionally
   *     and is completed on any thread ({@link AgentPrimer#prime} in production)
   * @param status answers a status request, on the loop, without blocking
   * @param loop the NIO event loop to serve on, or null for one of the endpoint's own
   */
  AgentEndpoint(Path path, Membership membership, Supplier<Peer> self,
      Function<Prime, CompletableFuture<PrimeReply>> primer, Supplier<NodeStatus> status, EndpointLimits limits,
      IoEventLoop loop) {
    if (loop != null && !loop.isCompatible(NioSelectableChannelIoHandle.class)) {
      throw new IllegalArgumentException("the agent endpoint needs an NIO event loop, not " + loop);
    }
    this.given = loop;
    this.path = path;
    this.membership = membership;
    this.self = self;
    this.primer = primer;
    this.status = status;
    this.limits = limits;
  }

  /**
   * Creates the socket file and starts serving. Once: a second call, or a call after {@link #close()}, fails.
   *
   * @throws IOException when the socket cannot be bound or made owner-only (nothing is left behind)
   */
  public synchronized void start() throws IOException {
    if (state != State.NEW) {
      throw new IllegalStateException("agent endpoint already started");
    }
    state = State.CLOSED; // until it has started: a failed start is not retried
    Files.deleteIfExists(path); // a stale file from a killed node would make bind fail
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    IoEventLoopGroup ownLoop = null;
    try {
      // a backlog as deep as the connection cap: an agent's non-blocking connect fails at once (EAGAIN) when
      // the accept queue is full, and an application may start many connects at the same moment
      server.bind(UnixDomainSocketAddress.of(path), limits.maxConnections());
      // Only this user may connect. The launcher creates the socket's directory with Files.createTempDirectory
      // (mode 0700), so nobody else could reach the file in the moment between bind and this call either.
      Files.setPosixFilePermissions(path, OWNER_READ_WRITE);
      server.configureBlocking(false);
      IoEventLoop serving = given;
      if (serving == null) {
        ownLoop = new MultiThreadIoEventLoopGroup(1, (Runnable r) -> {
          Thread thread = new Thread(r, THREAD_NAME);
          thread.setDaemon(true);
          return thread;
        }, NioIoHandler.newFactory());
        serving = ownLoop.next();
      }
      loop = new EndpointLoop(serving, server, limits, membership, self, primer, status);
      loop.start(CLOSE_TIMEOUT);
    } catch (IOException | RuntimeException e) {
      try {
        server.close();
        Files.deleteIfExists(path);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (ownLoop != null) {
        ownLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      }
      throw e;
    }
    own = ownLoop;
    state = State.RUNNING;
    log.info("Agent endpoint listening. path={} maxConnections={} maxRequestBytes={} requestDeadlineMillis={}",
        path, limits.maxConnections(), limits.maxRequestBytes(), limits.requestDeadline().toMillis());
  }

  /**
   * Closes every connection (agents see end of stream; their watchers retry with backoff) and the socket, ends
   * the endpoint's own loop if it has one, and removes the socket file. Returns within about twice
   * {@link #CLOSE_TIMEOUT}. Idempotent.
   */
  @Override
  public synchronized void close() throws IOException, InterruptedException {
    State was = state;
    state = State.CLOSED;
    if (was != State.RUNNING) {
      return;
    }
    try {
      loop.stop(CLOSE_TIMEOUT);
      if (own != null) {
        own.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(CLOSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } finally {
      Files.deleteIfExists(path);
    }
    log.info("Agent endpoint closed. path={}", path);
  }
}
