package io.boxer.node.agentlink;

import io.boxer.control.RateLimitedLog;
import io.boxer.node.membership.Membership;
import io.boxer.node.membership.Peer;
import io.boxer.proto.agent.v1.NodeStatus;
import io.boxer.proto.agent.v1.Prime;
import io.boxer.proto.agent.v1.PrimeReply;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoRegistration;
import io.netty.channel.nio.NioIoOps;
import io.netty.channel.nio.NioSelectableChannelIoHandle;
import io.netty.util.concurrent.Future;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent endpoint's work on its event loop: accepts, reads and writes every agent connection without blocking,
 * runs the work other threads hand it ({@link #execute}: membership changes, prime completions), and on a tick
 * closes the connections whose deadline passed.
 *
 * <p>The loop is a Netty event loop, in a node the one its mesh links run on: the socket's accepts and reads are
 * served by that thread, so a prime read from an agent goes out on its mesh link with no thread hand-off (gRPC
 * writes on the link's event loop; from another thread it wakes that loop, a thread wake-up on every prime's
 * path: docs/prime-path.md).
 *
 * <p>Thread: everything but {@link #execute} and {@link #stop} runs on the loop thread, which alone touches the
 * registrations and the connections.
 *
 * <p>Bounds: at most {@link EndpointLimits#maxConnections()} connections; a connection beyond it is closed as
 * soon as it is accepted. The loop's task queue holds at most two of the endpoint's tasks per open connection (one
 * pending view, one prime completion; on a prime channel one OP_WRITE request and one close; see
 * {@link AgentConnection}), plus one per prime the endpoint gave up on at its deadline that completes later (the
 * primer's own timeout ends those); it takes no new ones once stopping. A tick is scheduled only while something
 * may have a deadline: an idle endpoint does not wake its loop.
 */
final class EndpointLoop {
  private static final Logger log = LoggerFactory.getLogger(EndpointLoop.class);

  /** One read of a connection takes at most this much: a whole request fits, and no connection starves others. */
  static final int READ_CHUNK_BYTES = 8 * 1024;

  /** Connections accepted per wake-up at most, so that a connect flood cannot starve established connections. */
  static final int ACCEPTS_PER_ROUND = 64;

  /** After a failed accept (e.g. out of file descriptors), accepting pauses this long instead of spinning. */
  static final long ACCEPT_ERROR_PAUSE_MILLIS = 100;

  /** The longest time between two deadline checks; shorter when the request deadline is short (tests). */
  static final long MAX_TICK_MILLIS = 100;

  final EndpointLimits limits;
  final Membership membership;
  final Supplier<Peer> self;
  /** {@link AgentPrimer#prime}: returns at once; the future never completes exceptionally. */
  final Function<Prime, CompletableFuture<PrimeReply>> primer;
  /** The node's view for a status request: quick, never blocks. */
  final Supplier<NodeStatus> status;
  /** One per kind of warning an agent (or anything that can open the socket) can trigger at will. */
  final RateLimitedLog refusedWarnings = warnings();
  final RateLimitedLog malformedWarnings = warnings();
  final RateLimitedLog unknownWarnings = warnings();
  final RateLimitedLog expiredWarnings = warnings();
  final RateLimitedLog failureWarnings = warnings();

  private final IoEventLoop loop;
  private final ServerSocketChannel server;
  private final Set<AgentConnection> connections = new HashSet<>(); // loop thread only
  private final ByteBuffer scratch = ByteBuffer.allocate(READ_CHUNK_BYTES); // loop thread only
  private final long tickNanos;
  private IoRegistration serverRegistration; // loop thread only; null until started
  private ScheduledFuture<?> tick; // loop thread only; the next tick, null when none is scheduled
  private long nextConnId = 1;
  private long acceptResumeNanos; // when accepting resumes after a failure; 0 = not paused
  private boolean stopped; // loop thread only
  private volatile boolean stopping;

  /** Takes over {@code server} (bound, non-blocking): the loop closes it when it stops. Nothing runs yet. */
  EndpointLoop(IoEventLoop loop, ServerSocketChannel server, EndpointLimits limits, Membership membership,
      Supplier<Peer> self, Function<Prime, CompletableFuture<PrimeReply>> primer, Supplier<NodeStatus> status) {
    this.loop = loop;
    this.server = server;
    this.limits = limits;
    this.membership = membership;
    this.self = self;
    this.primer = primer;
    this.status = status;
    this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1),
        Math.min(TimeUnit.MILLISECONDS.toNanos(MAX_TICK_MILLIS), limits.requestDeadline().toNanos() / 4));
  }

  private static RateLimitedLog warnings() {
    return new RateLimitedLog(log, 10, 10, TimeUnit.SECONDS);
  }

  /**
   * Registers the server socket with the loop and starts accepting. From any thread but the loop's; waits for the
   * loop (whose tasks never block) at most {@code within}.
   *
   * @throws IOException if the loop refuses the socket or does not answer in time (the caller closes the socket)
   */
  void start(Duration within) throws IOException {
    Future<?> started;
    try {
      started = loop.submit(this::registerServer);
    } catch (RejectedExecutionException e) {
      throw new IOException("the event loop of the agent endpoint is shutting down", e);
    }
    try {
      if (!started.await(within.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IOException("the event loop did not register the agent socket within " + within.toMillis() + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while registering the agent socket", e);
    }
    if (!started.isSuccess()) {
      throw new IOException("the event loop could not register the agent socket: " + started.cause(), started.cause());
    }
  }

  /** On the loop thread. */
  private Void registerServer() throws IOException {
    serverRegistration = registered(new ServerHandle(server));
    serverRegistration.submit(NioIoOps.ACCEPT);
    return null;
  }

  /** {@code handle}'s registration with the loop, asking for no events yet; on the loop thread: done at once. */
  private IoRegistration registered(NioSelectableChannelIoHandle<?> handle) throws IOException {
    Future<IoRegistration> registration = loop.register(handle);
    if (!registration.isSuccess()) {
      throw new IOException(String.valueOf(registration.cause()), registration.cause());
    }
    return registration.getNow();
  }

  /** Runs {@code action} for {@code connection} on the loop thread soon; from any thread, never blocks. */
  void execute(AgentConnection connection, Runnable action) {
    if (stopping) {
      return; // the loop closes every connection anyway
    }
    try {
      loop.execute(() -> runTask(connection, action));
    } catch (RejectedExecutionException e) {
      log.debug("The event loop is shutting down: an agent endpoint task was dropped.");
    }
  }

  /**
   * Closes every connection and the server socket, on the loop, waiting at most {@code within}; once. From any
   * thread but the loop's. A loop that has ended already closed every socket registered with it.
   */
  void stop(Duration within) throws InterruptedException {
    stopping = true;
    Future<?> stoppedThere;
    try {
      stoppedThere = loop.submit(this::shutdown);
    } catch (RejectedExecutionException e) {
      closeQuietly(server); // the loop has ended: its sockets were closed with it
      return;
    }
    if (!stoppedThere.await(within.toMillis(), TimeUnit.MILLISECONDS)) {
      log.warn("The agent endpoint's event loop did not close its connections in time; closing its socket anyway. "
          + "timeoutMillis={}", within.toMillis());
      closeQuietly(server);
    }
  }

  /** Called by a connection as it closes. */
  void forget(AgentConnection connection) {
    connections.remove(connection);
  }

  private void runTask(AgentConnection connection, Runnable action) {
    if (stopped) {
      return;
    }
    try {
      action.run();
    } catch (RuntimeException e) {
      failed(connection, e);
    }
    armTick();
  }

  private void handle(AgentConnection connection, SelectionKey key) {
    if (stopped) {
      return;
    }
    try {
      if (key.isValid() && key.isWritable()) {
        connection.onWritable();
      }
      if (key.isValid() && key.isReadable()) {
        connection.onReadable(scratch);
      }
    } catch (CancelledKeyException e) {
      connection.close("its key was cancelled");
    } catch (RuntimeException e) {
      failed(connection, e);
    }
    armTick();
  }

  private void failed(AgentConnection connection, RuntimeException e) {
    failureWarnings.warn("Agent connection failed unexpectedly. reason={}", e.toString());
    log.debug("Agent connection failure.", e);
    connection.close("failed: " + e);
  }

  private void accept() {
    if (stopped) {
      return;
    }
    for (int i = 0; i < ACCEPTS_PER_ROUND; i++) {
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (IOException e) {
        failureWarnings.warn("Agent endpoint accept failed. reason={}", e.toString());
        serverRegistration.submit(NioIoOps.NONE); // tick resumes accepting; until then the backlog waits in the kernel
        acceptResumeNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ACCEPT_ERROR_PAUSE_MILLIS);
        armTick();
        return;
      }
      if (channel == null) {
        return;
      }
      if (connections.size() >= limits.maxConnections()) {
        refusedWarnings.warn("Refused an agent connection: too many open. limit={}", limits.maxConnections());
        closeQuietly(channel);
        continue;
      }
      register(channel);
    }
  }

  private void register(SocketChannel channel) {
    long id = nextConnId++;
    try {
      channel.configureBlocking(false);
      ConnectionHandle handle = new ConnectionHandle(channel);
      IoRegistration registration = registered(handle);
      AgentConnection connection = new AgentConnection(this, id, channel, registration, System.nanoTime());
      handle.connection = connection;
      connections.add(connection);
      registration.submit(NioIoOps.READ);
      log.debug("Agent connected. connId={}", id);
      armTick(); // its request deadline
    } catch (IOException e) {
      log.debug("Agent connection setup failed. connId={} reason={}", id, e.toString());
      closeQuietly(channel);
    }
  }

  /** Schedules a tick unless one is; the tick schedules the next only while something may have a deadline. */
  private void armTick() {
    if (tick == null && !stopped) {
      try {
        tick = loop.schedule(this::onTick, tickNanos, TimeUnit.NANOSECONDS);
      } catch (RejectedExecutionException e) {
        log.debug("The event loop is shutting down: no more agent endpoint ticks.");
      }
    }
  }

  private void onTick() {
    tick = null;
    if (stopped) {
      return;
    }
    tick(System.nanoTime());
    if (needsTick()) {
      armTick();
    }
  }

  private boolean needsTick() {
    if (acceptResumeNanos != 0) {
      return true;
    }
    for (AgentConnection connection : connections) {
      if (connection.needsTick()) {
        return true;
      }
    }
    return false;
  }

  private void tick(long now) {
    for (AgentConnection connection : new ArrayList<>(connections)) { // tick may close, and so forget
      try {
        connection.tick(now);
      } catch (RuntimeException e) {
        failed(connection, e);
      }
    }
    if (acceptResumeNanos != 0 && now - acceptResumeNanos >= 0) {
      acceptResumeNanos = 0;
      serverRegistration.submit(NioIoOps.ACCEPT);
    }
  }

  /** On the loop thread: closes every connection and the server socket; later events and tasks are ignored. */
  private void shutdown() {
    if (stopped) {
      return;
    }
    stopped = true;
    if (tick != null) {
      tick.cancel(false);
      tick = null;
    }
    for (AgentConnection connection : new ArrayList<>(connections)) {
      try {
        connection.close("the endpoint is closing");
      } catch (RuntimeException e) {
        log.debug("Closing an agent connection failed. reason={}", e.toString());
      }
    }
    if (serverRegistration != null) {
      serverRegistration.cancel();
    }
    closeQuietly(server);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.debug("Closing an agent endpoint resource failed. reason={}", e.toString());
    }
  }

  /** The server socket's handle: accepts when it is selected. */
  private final class ServerHandle extends NioSelectableChannelIoHandle<ServerSocketChannel> {
    ServerHandle(ServerSocketChannel server) {
      super(server);
    }

    @Override
    protected void handle(ServerSocketChannel channel, SelectionKey key) {
      accept();
    }
  }

  /** A connection's handle: hands its events to the connection; closing it (the loop ended) closes the connection. */
  private final class ConnectionHandle extends NioSelectableChannelIoHandle<SocketChannel> {
    private AgentConnection connection; // set right after registration, on the loop thread

    ConnectionHandle(SocketChannel channel) {
      super(channel);
    }

    @Override
    protected void handle(SocketChannel channel, SelectionKey key) {
      if (connection != null) {
        EndpointLoop.this.handle(connection, key);
      }
    }

    @Override
    public void close() throws Exception {
      if (connection != null) {
        connection.close("the event loop is closing");
      } else {
        super.close();
      }
    }
  }
}
