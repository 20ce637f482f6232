package io.boxer.examples.replicated;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a replica is told: its flags, and the environment {@code boxer run} gives every command
 * ({@code BOXER_NODE_ID}, {@code BOXER_PEERS_FILE}). {@code --peer-port ID=PORT} is for tests that run several
 * replicas on one host; under Boxer every member has an address of its own and all use {@code --port}.
 */
record StoreOptions(
    long nodeId,
    Path peersFile,
    int port,
    String replicaRole,
    int replicas,
    Duration replicaWait,
    Optional<Duration> exitAfter,
    Duration replicationTimeout,
    Map<Long, Integer> peerPorts) {

  static final String USAGE = """
      usage: ReplicatedStore --replicas N [--port P] [--replica-role ROLE] [--wait-seconds S]
                             [--exit-after-seconds S] [--replication-timeout-ms MS] [--peer-port ID=PORT]...
        --replicas N               replicas to wait for in the peers file (1..64)
        --port P                   where every replica listens (default 7400)
        --replica-role ROLE        the role of replicas in the peers file (default replica)
        --wait-seconds S           how long to wait for N replicas (default 60)
        --exit-after-seconds S     stop cleanly, exit code 0, after S seconds (default: run until SIGTERM)
        --replication-timeout-ms   how long a write waits for a listed backup (default 10000)
        --peer-port ID=PORT        replica ID listens on PORT instead (tests on one host)
      environment: BOXER_NODE_ID, BOXER_PEERS_FILE (set by boxer run)""";

  private static final Set<String> FLAGS = Set.of("--replicas", "--port", "--replica-role", "--wait-seconds",
      "--exit-after-seconds", "--replication-timeout-ms", "--peer-port");

  static StoreOptions parse(String[] args, Map<String, String> env) throws UsageException {
    Flags flags = Flags.parse(args, FLAGS, Set.of("--peer-port"));
    int replicas = flags.requiredInt("--replicas", 1, 64);
    int port = flags.intValue("--port", 7400, 1, 65535);
    String role = flags.value("--replica-role").orElse("replica");
    if (!role.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new UsageException("--replica-role : " + role + " (expected: 1 to 64 of A-Z a-z 0-9 . _ -)");
    }
    int waitSeconds = flags.intValue("--wait-seconds", 60, 1, 3600);
    Optional<Duration> exitAfter = flags.value("--exit-after-seconds").isEmpty()
        ? Optional.empty()
        : Optional.of(Duration.ofSeconds(flags.intValue("--exit-after-seconds", 0, 1, 86_400)));
    int timeoutMillis = flags.intValue("--replication-timeout-ms", 10_000, 100, 600_000);
    Map<Long, Integer> peerPorts = new HashMap<>();
    for (String peerPort : flags.values("--peer-port")) {
      String[] parts = peerPort.split("=", 2);
      if (parts.length != 2 || !parts[0].matches("\\d{1,18}")) {
        throw new UsageException("--peer-port : " + peerPort + " (expected: ID=PORT)");
      }
      peerPorts.put(Long.parseLong(parts[0]), Flags.parseInt("--peer-port " + parts[0], parts[1], 1, 65535));
    }
    String nodeId = env.get("BOXER_NODE_ID");
    if (nodeId == null || !nodeId.matches("\\d{1,18}")) {
      throw new UsageException("BOXER_NODE_ID : " + nodeId + " (expected: this member's id; run under boxer run)");
    }
    String peersFile = env.get("BOXER_PEERS_FILE");
    if (peersFile == null || peersFile.isBlank()) {
      throw new UsageException("BOXER_PEERS_FILE is not set (expected: the peers file; run under boxer run)");
    }
    return new StoreOptions(Long.parseLong(nodeId), Path.of(peersFile), port, role, replicas,
        Duration.ofSeconds(waitSeconds), exitAfter, Duration.ofMillis(timeoutMillis), Map.copyOf(peerPorts));
  }

  /** The port replica {@code id} listens on. */
  int portOf(long id) {
    return peerPorts.getOrDefault(id, port);
  }
}
