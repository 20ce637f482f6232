package io.boxer.examples.replicated;

import io.boxer.examples.replicated.PeersFile.Replica;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The primary: it orders the writes (versions 1, 2, 3, ...), applies each, and replicates it synchronously to
 * every live backup, one the peers file lists now, over a {@link BackupLink} it opens to that backup's store. A
 * PUT is answered {@code OK <version>} only when every live backup acknowledged it. A backup that leaves the peers
 * file is no longer waited for: its link is closed at once, which ends a wait for its acknowledgement. A listed
 * backup that does not acknowledge within the replication timeout fails the PUT with {@code ERR unavailable ...};
 * the write may then be visible on the primary and some backups (there is no rollback).
 *
 * <p>A link opens with a snapshot of the whole table, so a backup that joins later, or whose link broke, catches
 * up; a background thread opens links to new backups every {@link #CONNECT_EVERY}, so they need not wait for a
 * write.
 *
 * <p>Threads: writes and link openings hold this object's lock, so a backup gets the snapshot and the writes in
 * version order. {@link #membershipChanged} takes no lock: it only replaces the live set and closes links, so a
 * backup that leaves ends a write that waits for it.
 */
final class Primary implements Role {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
  private static final Duration CONNECT_EVERY = Duration.ofMillis(200);
  // a refused connect costs the backup's node a refused prime, which Boxer limits to 20 a second per member
  private static final long RETRY_MILLIS = 200;

  private final long selfId;
  private final Table table;
  private final Duration timeout;
  private final Map<Long, BackupLink> links = new ConcurrentHashMap<>();
  private final ScheduledExecutorService connector =
      Executors.newSingleThreadScheduledExecutor(ReplicatedStore.daemonThreads("replicated-store-connector"));
  private volatile Map<Long, InetSocketAddress> live = Map.of();
  // guarded by this
  private long lastVersion;

  Primary(long selfId, Table table, Duration replicationTimeout) {
    this.selfId = selfId;
    this.table = table;
    this.timeout = replicationTimeout;
  }

  void start(List<Replica> replicas) {
    membershipChanged(replicas);
    connector.scheduleWithFixedDelay(this::connectNewBackups, 0, CONNECT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public String name() {
    return "primary";
  }

  @Override
  public long primaryId() {
    return selfId;
  }

  @Override
  public synchronized String put(String key, String value) {
    long version = lastVersion + 1;
    if (!table.apply(key, version, value)) {
      return "ERR " + table.fullMessage();
    }
    lastVersion = version;
    long deadline = System.nanoTime() + timeout.toNanos();
    for (long backup : live.keySet()) {
      String failure = replicate(backup, version, key, value, deadline);
      if (failure != null) {
        System.err.println("replicated-store: write " + version + " failed: " + failure);
        return "ERR unavailable: " + failure;
      }
    }
    return "OK " + version;
  }

  /** Null once {@code backup} acknowledged the write or left the peers file, else why it did not. */
  private String replicate(long backup, long version, String key, String value, long deadline) {
    while (true) {
      InetSocketAddress address = live.get(backup);
      if (address == null) {
        return null;
      }
      BackupLink link = null;
      try {
        link = linkTo(backup, address);
        link.replicate(version, key, value);
        return null;
      } catch (IOException e) {
        if (link != null) {
          dropLink(backup, link);
        }
        if (System.nanoTime() - deadline >= 0) {
          return "replica " + backup + " did not acknowledge version " + version + " within "
              + timeout.toMillis() + " ms (" + e.getMessage() + ")";
        }
      }
      try {
        Thread.sleep(RETRY_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "replica " + backup + ": interrupted, the store is closing";
      }
    }
  }

  /** The open link to {@code backup}, or a new one that has sent the snapshot. Holds this lock. */
  private synchronized BackupLink linkTo(long backup, InetSocketAddress address) throws IOException {
    BackupLink link = links.get(backup);
    if (link != null) {
      return link;
    }
    link = BackupLink.connect(address, CONNECT_TIMEOUT, timeout);
    links.put(backup, link); // before the snapshot: a backup that leaves meanwhile gets its link closed
    try {
      link.sendSnapshot(table.snapshot());
      return link;
    } catch (IOException e) {
      dropLink(backup, link);
      throw e;
    }
  }

  private void connectNewBackups() {
    live.forEach((backup, address) -> {
      if (!links.containsKey(backup)) {
        try {
          linkTo(backup, address);
        } catch (IOException e) {
          // not listening yet, or gone: tried again at the next round or the next write
        }
      }
    });
  }

  @Override
  public void membershipChanged(List<Replica> replicas) {
    Map<Long, InetSocketAddress> backups = new HashMap<>();
    replicas.stream().filter(r -> r.id() != selfId).forEach(r -> backups.put(r.id(), r.address()));
    live = Map.copyOf(backups);
    // also closes a link opened while its backup was leaving
    links.forEach((backup, link) -> {
      if (!backups.containsKey(backup)) {
        dropLink(backup, link);
      }
    });
  }

  private void dropLink(long backup, BackupLink link) {
    links.remove(backup, link);
    link.close();
  }

  @Override
  public List<Long> connectedReplicas() {
    return links.keySet().stream().sorted().toList();
  }

  @Override
  public void close() {
    connector.shutdownNow();
    links.forEach(this::dropLink);
  }
}
