package io.boxer.examples.replicated;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replicas of a store as threads of the test JVM, all on 127.0.0.1 with a port each, and the peers file the test
 * writes as boxer would (atomically). Closes every replica it started.
 */
final class TestCluster implements AutoCloseable {
  final Path peersFile;
  private final Map<Long, Integer> ports = new HashMap<>();
  private final List<ReplicatedStore> started = new ArrayList<>();

  TestCluster(Path dir) {
    this.peersFile = dir.resolve("peers");
  }

  /** Gives replica {@code id} a free port; a fake replica gets the fake's. */
  int reservePort(long id) throws IOException {
    try (ServerSocket probe = new ServerSocket(0)) {
      return usePort(id, probe.getLocalPort());
    }
  }

  void reservePorts(long... ids) throws IOException {
    for (long id : ids) {
      reservePort(id);
    }
  }

  int usePort(long id, int port) {
    ports.put(id, port);
    return port;
  }

  int port(long id) {
    return ports.get(id);
  }

  InetSocketAddress address(long id) {
    return new InetSocketAddress("127.0.0.1", port(id));
  }

  /** Writes the peers file: each line {@code <id> <ip> <role>}, replaced at once as boxer replaces it. */
  void writePeers(String... lines) throws IOException {
    Path temporary = peersFile.resolveSibling("peers.tmp");
    Files.writeString(temporary, String.join("\n", lines) + "\n");
    Files.move(temporary, peersFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }

  ReplicatedStore start(long id, int replicas, Duration replicationTimeout) throws Exception {
    StoreOptions options = new StoreOptions(id, peersFile, port(id), "replica", replicas, Duration.ofSeconds(10),
        Optional.empty(), replicationTimeout, Map.copyOf(ports));
    ReplicatedStore store = ReplicatedStore.start(options);
    started.add(store);
    return store;
  }

  @Override
  public void close() {
    started.forEach(ReplicatedStore::close);
  }
}
