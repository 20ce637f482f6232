package io.boxer.examples.replicated;

import io.boxer.examples.replicated.PeersFile.Replica;
import java.io.IOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backup: it forwards each client's PUT to the primary over one kept connection and relays the answer, and
 * applies what the primary replicates over the link the primary opens to it ({@link #serveReplication}). It
 * does not take over when the primary leaves the peers file (no failover): PUTs then fail with
 * {@code ERR unavailable ...}, GETs keep answering from the local table.
 *
 * <p>Thread-safe: forwarded PUTs take this object's lock, one at a time (the primary orders them anyway).
 */
final class Backup implements Role {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

  private final Replica primary;
  private final Table table;
  private final Duration forwardTimeout;
  private final AtomicInteger replicationLinks = new AtomicInteger();
  private volatile boolean primaryListed = true;
  // written under this lock; read by close() without it, to end a forwarded PUT that waits
  private volatile LineConnection forwarding;

  Backup(Replica primary, Table table, Duration replicationTimeout) {
    this.primary = primary;
    this.table = table;
    // the primary may wait for the other backups for up to its replication timeout before it answers
    this.forwardTimeout = replicationTimeout.plusSeconds(5);
  }

  @Override
  public String name() {
    return "backup";
  }

  @Override
  public long primaryId() {
    return primary.id();
  }

  @Override
  public synchronized String put(String key, String value) {
    if (!primaryListed) {
      return "ERR unavailable: primary " + primary.id() + " left the peers file (no failover)";
    }
    boolean kept = forwarding != null;
    try {
      if (forwarding == null) {
        forwarding = LineConnection.open(primary.address(), CONNECT_TIMEOUT, forwardTimeout);
      }
      return forwarding.request("PUT " + key + " " + value);
    } catch (IOException e) {
      if (forwarding != null) {
        forwarding.close();
        forwarding = null;
      }
      if (kept && !(e instanceof SocketTimeoutException)) {
        return put(key, value); // the primary closed the kept connection (idle): once more, on a new one
      }
      return "ERR unavailable: primary " + primary.id() + " at " + primary.address() + ": " + e.getMessage();
    }
  }

  /** Whether a connection from {@code address} may carry replication: only the primary's does. */
  boolean isPrimary(InetAddress address) {
    return primary.address().getAddress().equals(address);
  }

  /**
   * Serves the primary's link, whose first line was {@code first}, until the primary closes it. It has no read
   * timeout: the primary writes only when clients do.
   */
  void serveReplication(LineConnection link, String first) throws IOException {
    link.setReadTimeout(Duration.ZERO);
    replicationLinks.incrementAndGet();
    try {
      for (String line = first; line != null; line = link.readLine()) {
        String[] words = line.split(" ", 2);
        if (words[0].equals("SNAPSHOT") && words.length == 2 && words[1].matches("\\d{1,6}")) {
          int count = Integer.parseInt(words[1]);
          for (int i = 0; i < count; i++) {
            applyEntry(link.readLine());
          }
          link.writeLine("ACK " + count);
        } else if (words[0].equals("REPLICATE") && words.length == 2) {
          link.writeLine("ACK " + applyEntry(words[1]));
        } else {
          link.writeLine("ERR expected SNAPSHOT <n> or REPLICATE <version> <key> <value> from the primary");
          return;
        }
      }
    } finally {
      replicationLinks.decrementAndGet();
    }
  }

  /** Applies {@code <version> <key> <value>} and returns the version. */
  private long applyEntry(String entry) throws IOException {
    String[] fields = entry == null ? new String[0] : entry.split(" ", 3);
    if (fields.length != 3 || !fields[0].matches("\\d{1,18}")) {
      throw new IOException("malformed entry from the primary: " + entry);
    }
    long version = Long.parseLong(fields[0]);
    if (!table.apply(fields[1], version, fields[2])) {
      throw new IOException(table.fullMessage());
    }
    return version;
  }

  @Override
  public List<Long> connectedReplicas() {
    return replicationLinks.get() > 0 ? List.of(primary.id()) : List.of();
  }

  @Override
  public void membershipChanged(List<Replica> replicas) {
    primaryListed = replicas.stream().anyMatch(r -> r.id() == primary.id());
  }

  @Override
  public void close() {
    LineConnection connection = forwarding;
    if (connection != null) {
      connection.close();
    }
  }
}
