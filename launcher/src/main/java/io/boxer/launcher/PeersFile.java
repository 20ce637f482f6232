package io.boxer.launcher;

import io.boxer.node.membership.Peer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The file named by {@code BOXER_PEERS_FILE}: one line per member, sorted by id,
 * {@code <id> <external-ip> <role>}, this node included. Rewritten atomically (write, then rename) on each
 * membership change ({@link MembershipPublisher}), so a reader never sees half a file.
 */
public final class PeersFile {
  private final Path path;

  public PeersFile(Path path) {
    this.path = path;
  }

  public Path path() {
    return path;
  }

  static String render(List<Peer> peers) {
    return peers.stream()
        .sorted(Comparator.comparingLong(Peer::id))
        .map(p -> p.id() + " " + p.externalIp().getHostAddress() + " " + p.role() + "\n")
        .collect(Collectors.joining());
  }

  public synchronized void write(List<Peer> peers) {
    try {
      AtomicFiles.writeString(path, render(peers));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write peers file " + path, e);
    }
  }
}
