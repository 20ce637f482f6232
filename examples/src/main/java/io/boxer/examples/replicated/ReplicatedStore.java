package io.boxer.examples.replicated;

import io.boxer.examples.replicated.PeersFile.Replica;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import sun.misc.Signal;

/**
 * A primary-backup key-value store, an ordinary distributed JVM service that knows of Boxer only the environment
 * {@code boxer run} gives every command: {@code BOXER_NODE_ID} and {@code BOXER_PEERS_FILE}.
 *
 * <p><b>Replicas.</b> The members the peers file lists with {@code --replica-role}; the store waits (at most
 * {@code --wait-seconds}) until {@code --replicas} of them are listed. The one with the lowest id is the
 * primary, for the life of the process: there is no failover. Every replica listens on {@code --port} (0.0.0.0)
 * and is reached at its external address from the peers file.
 *
 * <p><b>Client protocol</b>, plain TCP, one line per command and one line per answer, UTF-8, at most 8 KiB a
 * line (a longer one: {@code ERR line too long ...}, then the connection is closed):
 * <ul>
 *   <li>{@code PUT <key> <value>} → {@code OK <version>}; the key has no spaces, the value is the rest of the
 *       line. A backup forwards it to the primary, which gives it the next version, applies it, and answers
 *       only once every live backup acknowledged it (see {@link Primary}).
 *   <li>{@code GET <key>} → {@code VALUE <version> <value>} or {@code NONE}.
 *   <li>{@code STATUS} → {@code STATUS id=<id> role=<primary|backup> primary=<id> connected=<ids|-> keys=<n>},
 *       where connected lists the replicas with a replication link to this one.
 *   <li>anything else → {@code ERR <why>}; {@code ERR unavailable ...} means try again later (the primary or a
 *       listed backup cannot be reached).
 * </ul>
 *
 * <p><b>Consistency.</b> GET is served locally by every replica. Since a PUT is acknowledged only after every
 * live backup applied it, a GET on any replica after an {@code OK} sees that write or a later one
 * (read-your-writes everywhere), unless the replica left the peers file meanwhile. A GET during a PUT may see the
 * old value on one replica and the new one on another (not linearizable), and a PUT answered {@code ERR} may be
 * visible on some replicas. A backup that joins later catches up from the snapshot the primary sends first.
 *
 * <p><b>Bounds.</b> 256 connections (more: {@code ERR too many connections}, then closed), 5 minutes idle per
 * client connection, 100,000 keys and 32 Mi characters (see {@link Table}); the primary waits at most
 * {@code --replication-timeout-ms} for a backup's acknowledgement, a backup that much plus 5 s for the
 * primary's answer.
 *
 * <p>{@link #start} and {@link #close} run a store inside another program (tests); {@link #main} is the
 * command: it prints {@code replicated-store listening port=<port> id=<id> role=<role>} when ready and exits
 * 0 after {@code --exit-after-seconds} or on SIGTERM or SIGINT, 1 on a runtime error, 2 on a usage error.
 */
public final class ReplicatedStore implements AutoCloseable {
  static final int MAX_CONNECTIONS = 256;
  private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(5);
  private static final long POLL_MILLIS = 100;

  private final StoreOptions options;
  private final ServerSocket server;
  private final Table table;
  private final Role role;
  private final Semaphore connectionSlots = new Semaphore(MAX_CONNECTIONS);
  private final Set<LineConnection> connections = ConcurrentHashMap.newKeySet();
  private final ExecutorService sessions = Executors.newCachedThreadPool(daemonThreads("replicated-store-session"));
  private final ScheduledExecutorService peersPoller =
      Executors.newSingleThreadScheduledExecutor(daemonThreads("replicated-store-peers"));
  private final Thread acceptor;
  private final AtomicBoolean closed = new AtomicBoolean();
  // touched by the poller thread only
  private String lastPeersError;

  private ReplicatedStore(StoreOptions options, ServerSocket server, Table table, Role role) {
    this.options = options;
    this.server = server;
    this.table = table;
    this.role = role;
    this.acceptor = daemonThreads("replicated-store-accept").newThread(this::acceptLoop);
  }

  /**
   * Listens, waits until the replicas are listed, takes this replica's role and serves. An IOException says why
   * it cannot (port taken, too few replicas in time, this member not a replica).
   */
  public static ReplicatedStore start(StoreOptions options) throws IOException, InterruptedException {
    ServerSocket server = new ServerSocket();
    try {
      server.setReuseAddress(true);
      server.bind(new InetSocketAddress(options.port()), MAX_CONNECTIONS);
      List<Replica> replicas = awaitReplicas(options);
      Replica primary = replicas.get(0);
      Table table = new Table(Table.MAX_KEYS, Table.MAX_CHARS);
      Role role;
      if (primary.id() == options.nodeId()) {
        Primary self = new Primary(options.nodeId(), table, options.replicationTimeout());
        self.start(replicas);
        role = self;
      } else {
        role = new Backup(primary, table, options.replicationTimeout());
      }
      ReplicatedStore store = new ReplicatedStore(options, server, table, role);
      store.acceptor.start();
      store.peersPoller.scheduleWithFixedDelay(store::pollPeers, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
      return store;
    } catch (IOException | InterruptedException | RuntimeException e) {
      server.close();
      throw e;
    }
  }

  private static List<Replica> awaitReplicas(StoreOptions options) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + options.replicaWait().toNanos();
    List<Replica> replicas = readReplicas(options);
    while (replicas.size() < options.replicas()) {
      if (System.nanoTime() - deadline >= 0) {
        throw new IOException("only " + replicas.size() + " of " + options.replicas() + " replicas (role "
            + options.replicaRole() + ") are listed in " + options.peersFile() + " after "
            + options.replicaWait().toSeconds() + " s (--replicas, --wait-seconds)");
      }
      Thread.sleep(POLL_MILLIS);
      replicas = readReplicas(options);
    }
    if (replicas.stream().noneMatch(r -> r.id() == options.nodeId())) {
      throw new IOException("this member (BOXER_NODE_ID " + options.nodeId() + ") is not listed with role "
          + options.replicaRole() + " in " + options.peersFile() + " (--replica-role)");
    }
    return replicas;
  }

  private static List<Replica> readReplicas(StoreOptions options) throws IOException {
    return PeersFile.replicas(options.peersFile(), options.replicaRole(), options::portOf);
  }

  private void pollPeers() {
    try {
      role.membershipChanged(readReplicas(options));
      lastPeersError = null;
    } catch (IOException | RuntimeException e) {
      // a missing or bad file keeps the last membership; said once per distinct error
      String error = "replicated-store: cannot read the peers file, keeping the last membership: " + e.getMessage();
      if (!error.equals(lastPeersError)) {
        System.err.println(error);
        lastPeersError = error;
      }
    }
  }

  private void acceptLoop() {
    while (!closed.get()) {
      try {
        serve(server.accept());
      } catch (IOException e) {
        if (closed.get()) {
          return;
        }
        System.err.println("replicated-store: accept failed: " + e.getMessage());
        try {
          Thread.sleep(POLL_MILLIS); // e.g. out of file descriptors: let sessions end
        } catch (InterruptedException interrupted) {
          return;
        }
      }
    }
  }

  private void serve(Socket socket) throws IOException {
    if (!connectionSlots.tryAcquire()) {
      try (socket; OutputStream out = socket.getOutputStream()) {
        out.write(("ERR too many connections (max " + MAX_CONNECTIONS + ")\n").getBytes(StandardCharsets.UTF_8));
      }
      return;
    }
    try {
      LineConnection connection = new LineConnection(socket, IDLE_TIMEOUT);
      connections.add(connection);
      sessions.execute(() -> {
        try {
          new ClientSession(connection, options.nodeId(), table, role).run();
        } finally {
          connections.remove(connection);
          connectionSlots.release();
        }
      });
    } catch (IOException | RejectedExecutionException e) {
      socket.close();
      connectionSlots.release();
    }
  }

  public int port() {
    return server.getLocalPort();
  }

  /** {@code primary} or {@code backup}. */
  public String role() {
    return role.name();
  }

  /** Stops serving: closes the listener, the replication links and every connection. Idempotent. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    peersPoller.shutdownNow();
    try {
      server.close();
    } catch (IOException e) {
      // closing anyway
    }
    role.close();
    connections.forEach(LineConnection::close);
    sessions.shutdownNow();
    try {
      acceptor.join(TimeUnit.SECONDS.toMillis(5));
      sessions.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Threads named {@code name-N}, daemons: main() alone decides when the process ends. */
  static ThreadFactory daemonThreads(String name) {
    AtomicInteger count = new AtomicInteger();
    return r -> {
      Thread thread = new Thread(r, name + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }

  public static void main(String[] args) {
    if (args.length == 1 && args[0].equals("--help")) {
      System.out.println(StoreOptions.USAGE);
      return;
    }
    StoreOptions options;
    try {
      options = StoreOptions.parse(args, System.getenv());
    } catch (UsageException e) {
      System.err.println("replicated-store: " + e.getMessage());
      System.err.println(StoreOptions.USAGE);
      System.exit(2);
      return;
    }
    CountDownLatch stop = new CountDownLatch(1);
    Thread main = Thread.currentThread();
    for (String signal : List.of("TERM", "INT")) {
      Signal.handle(new Signal(signal), s -> {
        stop.countDown();
        main.interrupt(); // also ends the wait for the replicas
      });
    }
    try (ReplicatedStore store = start(options)) {
      System.out.println("replicated-store listening port=" + store.port() + " id=" + options.nodeId()
          + " role=" + store.role());
      System.out.flush();
      if (options.exitAfter().isPresent()) {
        stop.await(options.exitAfter().get().toMillis(), TimeUnit.MILLISECONDS);
      } else {
        stop.await();
      }
    } catch (InterruptedException e) {
      // a signal: stop cleanly
    } catch (IOException e) {
      if (stop.getCount() > 0) {
        System.err.println("replicated-store: " + e.getMessage());
        System.exit(1);
      }
    }
  }
}
