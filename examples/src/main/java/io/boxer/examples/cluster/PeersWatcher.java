package io.boxer.examples.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Watches a peers file as a cluster-aware application would ({@code BOXER_PEERS_FILE}: {@code <id> <ip>
 * <role>} per line) and prints {@code peers EPOCH_MS ID ID ...} whenever the set of ids changes, polling every
 * 20 ms: {@code PeersWatcher SECONDS}. Runs for SECONDS; reads the path from BOXER_PEERS_FILE.
 */
public final class PeersWatcher {
  public static void main(String[] args) throws InterruptedException, IOException {
    Path file = Path.of(System.getenv("BOXER_PEERS_FILE"));
    long endNanos = System.nanoTime() + Long.parseLong(args[0]) * 1_000_000_000L;
    String last = null;
    while (System.nanoTime() < endNanos) {
      String ids;
      try {
        List<String> lines = Files.readAllLines(file);
        ids = lines.stream().filter(l -> !l.isBlank()).map(l -> l.split(" ")[0]).collect(Collectors.joining(" "));
      } catch (NoSuchFileException e) {
        ids = "";
      }
      if (!ids.equals(last)) {
        System.out.println("peers " + System.currentTimeMillis() + " " + ids);
        System.out.flush();
        last = ids;
      }
      Thread.sleep(20);
    }
  }

  private PeersWatcher() {}
}
