package io.boxer.deathstar.app;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.Status;
import io.grpc.SynchronizationContext;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a role to every instance the peers file lists with that role, and follows the file: it is re-read
 * every {@link #POLL}, and each time its content changed the channel gets the new address list. With the
 * {@code round_robin} policy the channel then spreads calls over the instances it is connected to, starts
 * using an instance once its connection is up, and drops one that left the file. The service stays unaware of
 * Boxer: a peers file is just a list of addresses with roles. Reads and updates run in the channel's
 * synchronization context; the poll runs on the channel's scheduled executor (neither is owned here).
 */
final class PeersFileNameResolver extends NameResolver {
  private static final Logger log = LoggerFactory.getLogger(PeersFileNameResolver.class);
  /** How often the peers file is read for changes (it is small; a changed file is re-read in full). */
  static final Duration POLL = Duration.ofMillis(500);

  private final Path peersFile;
  private final String role;
  private final int port;
  private final SynchronizationContext sync;
  private final ScheduledExecutorService timer;
  // only in the sync context
  private Listener2 listener;
  private String lastContent;
  private List<InetSocketAddress> lastInstances = List.of();
  private ScheduledFuture<?> poll;

  private PeersFileNameResolver(Path peersFile, String role, int port, Args args) {
    this.peersFile = peersFile;
    this.role = role;
    this.port = port;
    this.sync = args.getSynchronizationContext();
    this.timer = args.getScheduledExecutorService();
  }

  @Override
  public String getServiceAuthority() {
    return role;
  }

  @Override
  public void start(Listener2 listener) {
    this.listener = listener;
    resolve();
    poll = timer.scheduleWithFixedDelay(() -> sync.execute(this::resolve), POLL.toMillis(), POLL.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void refresh() {
    lastContent = null; // the channel asks again (a connection failed): answer even if nothing changed
    resolve();
  }

  @Override
  public void shutdown() {
    if (poll != null) {
      poll.cancel(false);
    }
    listener = null;
  }

  private void resolve() {
    if (listener == null) {
      return;
    }
    String content;
    try {
      content = Files.readString(peersFile);
    } catch (NoSuchFileException e) {
      content = "";
    } catch (IOException e) {
      listener.onError(Status.UNAVAILABLE.withDescription("cannot read peers file " + peersFile + ": " + e));
      return;
    }
    if (content.equals(lastContent)) {
      return;
    }
    lastContent = content;
    List<InetSocketAddress> instances;
    try {
      instances = RoleInstances.parse(content, role, port);
    } catch (IllegalArgumentException e) {
      listener.onError(Status.UNAVAILABLE.withDescription(peersFile + ": " + e.getMessage()));
      return;
    }
    if (instances.isEmpty()) {
      listener.onError(Status.UNAVAILABLE.withDescription("peers file " + peersFile + " lists no " + role));
      return;
    }
    if (!instances.equals(lastInstances)) {
      log.info("Instances of a role changed. role={} instances={}", role, instances);
      lastInstances = instances;
    }
    listener.onResult(ResolutionResult.newBuilder()
        .setAddresses(instances.stream().map(EquivalentAddressGroup::new).toList())
        .build());
  }

  /** Makes the resolver of one channel: the target's authority is ignored, the role and port are fixed here. */
  static final class Factory extends NameResolver.Factory {
    static final String SCHEME = "peers";
    private final Path peersFile;
    private final String role;
    private final int port;

    Factory(Path peersFile, String role, int port) {
      this.peersFile = peersFile;
      this.role = role;
      this.port = port;
    }

    /** The channel target this factory resolves. */
    String target() {
      return SCHEME + ":///" + role;
    }

    @Override
    public NameResolver newNameResolver(URI targetUri, Args args) {
      return SCHEME.equals(targetUri.getScheme()) ? new PeersFileNameResolver(peersFile, role, port, args) : null;
    }

    @Override
    public String getDefaultScheme() {
      return SCHEME;
    }
  }
}
