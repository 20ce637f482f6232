package io.boxer.examples.replicated;

import io.boxer.examples.replicated.PeersFile.Replica;
import java.util.List;

/** What depends on whether this replica is the primary or a backup. Thread-safe. */
sealed interface Role permits Primary, Backup {
  /** {@code primary} or {@code backup}. */
  String name();

  long primaryId();

  /** The answer to a client's PUT: {@code OK <version>} or {@code ERR ...}. */
  String put(String key, String value);

  /** The replicas this one has a replication link with now, by id. */
  List<Long> connectedReplicas();

  /** The replicas the peers file lists now; called every poll, from one thread. */
  void membershipChanged(List<Replica> replicas);

  void close();
}
