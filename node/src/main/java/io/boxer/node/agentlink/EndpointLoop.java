package io.boxer.node.agentlink;

import io.boxer.control.RateLimitedLog;
import io.boxer.node.membership.Membership;
import io.boxer.node.membership.Peer;
import io.boxer.proto.agent.v1.NodeStatus;
import io.boxer.proto.agent.v1.Prime;
import io.boxer.proto.agent.v1.PrimeReply;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent endpoint's one thread: a selector loop that accepts, reads and writes every agent connection
 * without blocking, runs the work other threads hand it ({@link #execute}: membership changes, prime
 * completions), and once per tick closes the connections whose deadline passed.
 *
 * <p>Thread: {@link #run()} on the endpoint thread, which alone touches the selector's keys and the
 * connections; {@link #execute} and {@link #stop()} from any thread.
 *
 * <p>Bounds: at most {@link EndpointLimits#maxConnections()} connections; a connection beyond it is closed as
 * soon as it is accepted. The task queue holds at most two entries per open connection (one pending view, one
 * prime completion; on a prime channel one OP_WRITE request and one close; see {@link AgentConnection}), plus
 * one per prime the endpoint gave up on at its deadline that completes later (the primer's own timeout ends
 * those); it takes no new ones once stopping.
 */
final class EndpointLoop implements Runnable {
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

  private final ServerSocketChannel server;
  private final Selector selector;
  private final SelectionKey serverKey;
  private final Queue<Task> tasks = new ConcurrentLinkedQueue<>();
  private final Set<AgentConnection> connections = new HashSet<>(); // loop thread only
  private final ByteBuffer scratch = ByteBuffer.allocate(READ_CHUNK_BYTES); // loop thread only
  private final long tickNanos;
  private long nextConnId = 1;
  private long acceptResumeNanos; // when accepting resumes after a failure; 0 = not paused
  private volatile boolean stopping;

  private record Task(AgentConnection connection, Runnable action) {}

  /** Takes over {@code server} (bound, non-blocking): the loop closes it when it ends. */
  EndpointLoop(ServerSocketChannel server, EndpointLimits limits, Membership membership, Supplier<Peer> self,
      Function<Prime, CompletableFuture<PrimeReply>> primer, Supplier<NodeStatus> status) throws IOException {
    this.server = server;
    this.limits = limits;
    this.membership = membership;
    this.self = self;
    this.primer = primer;
    this.status = status;
    this.tickNanos = Math.max(TimeUnit.MILLISECONDS.toNanos(1),
        Math.min(TimeUnit.MILLISECONDS.toNanos(MAX_TICK_MILLIS), limits.requestDeadline().toNanos() / 4));
    this.selector = Selector.open();
    try {
      this.serverKey = server.register(selector, SelectionKey.OP_ACCEPT);
    } catch (IOException | RuntimeException e) {
      selector.close();
      throw e;
    }
  }

  private static RateLimitedLog warnings() {
    return new RateLimitedLog(log, 10, 10, TimeUnit.SECONDS);
  }

  @Override
  public void run() {
    long nextTick = System.nanoTime() + tickNanos;
    try {
      while (!stopping) {
        if (needsTick()) {
          selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(nextTick - System.nanoTime())));
        } else {
          selector.select(); // nothing has a deadline: an idle node does not wake ten times a second for nothing
        }
        if (stopping) {
          break;
        }
        runTasks();
        Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
        while (ready.hasNext()) {
          SelectionKey key = ready.next();
          ready.remove();
          handle(key);
        }
        long now = System.nanoTime();
        if (now - nextTick >= 0) {
          tick(now);
          nextTick = now + tickNanos;
        }
      }
    } catch (IOException e) {
      log.error("Agent endpoint stopped: its selector failed. reason={}", e.toString());
    } catch (RuntimeException | Error e) { // handlers catch what they can; this is a bug or out of memory
      log.error("Agent endpoint stopped unexpectedly. reason={}", e.toString());
      throw e;
    } finally {
      shutdown();
    }
  }

  /** Runs {@code action} for {@code connection} on the loop thread soon; from any thread, never blocks. */
  void execute(AgentConnection connection, Runnable action) {
    if (stopping) {
      return; // the loop closes every connection anyway
    }
    tasks.add(new Task(connection, action));
    selector.wakeup();
  }

  /** Asks the loop to close every connection and the server socket, and to end. From any thread. */
  void stop() {
    stopping = true;
    selector.wakeup();
  }

  /** Closes the server socket from another thread, when the loop does not end in time. */
  void closeServer() {
    closeQuietly(server);
  }

  /** Called by a connection as it closes. */
  void forget(AgentConnection connection) {
    connections.remove(connection);
  }

  private void runTasks() {
    for (int n = tasks.size(); n > 0; n--) { // those queued so far: a busy membership cannot hold the loop here
      Task task = tasks.poll();
      if (task == null) {
        return;
      }
      try {
        task.action().run();
      } catch (RuntimeException e) {
        failed(task.connection(), e);
      }
    }
  }

  private void handle(SelectionKey key) {
    if (key == serverKey) {
      accept();
      return;
    }
    AgentConnection connection = (AgentConnection) key.attachment();
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
  }

  private void failed(AgentConnection connection, RuntimeException e) {
    failureWarnings.warn("Agent connection failed unexpectedly. reason={}", e.toString());
    log.debug("Agent connection failure.", e);
    connection.close("failed: " + e);
  }

  private void accept() {
    for (int i = 0; i < ACCEPTS_PER_ROUND; i++) {
      SocketChannel channel;
      try {
        channel = server.accept();
      } catch (IOException e) {
        failureWarnings.warn("Agent endpoint accept failed. reason={}", e.toString());
        serverKey.interestOps(0); // tick resumes accepting; until then the backlog waits in the kernel
        acceptResumeNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ACCEPT_ERROR_PAUSE_MILLIS);
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
      SelectionKey key = channel.register(selector, SelectionKey.OP_READ);
      AgentConnection connection = new AgentConnection(this, id, channel, key, System.nanoTime());
      key.attach(connection);
      connections.add(connection);
      log.debug("Agent connected. connId={}", id);
    } catch (IOException e) {
      log.debug("Agent connection setup failed. connId={} reason={}", id, e.toString());
      closeQuietly(channel);
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
      serverKey.interestOps(SelectionKey.OP_ACCEPT);
    }
  }

  private void shutdown() {
    for (AgentConnection connection : new ArrayList<>(connections)) {
      try {
        connection.close("the endpoint is closing");
      } catch (RuntimeException e) {
        log.debug("Closing an agent connection failed. reason={}", e.toString());
      }
    }
    tasks.clear();
    closeQuietly(server);
    closeQuietly(selector);
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception e) {
      log.debug("Closing an agent endpoint resource failed. reason={}", e.toString());
    }
  }
}
