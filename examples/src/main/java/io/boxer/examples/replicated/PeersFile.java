package io.boxer.examples.replicated;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.LongToIntFunction;
import java.util.regex.Pattern;

/**
 * Reads the file {@code BOXER_PEERS_FILE} names: one member per line, {@code <id> <external-ip> <role>}, sorted
 * by id. Boxer replaces it atomically on every membership change, so each read sees one whole version.
 */
final class PeersFile {
  private static final Pattern IPV4 =
      Pattern.compile("((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");

  /** A member with the replica role, and where its store listens. */
  record Replica(long id, InetSocketAddress address) {}

  /**
   * The members listed with {@code role}, by id, each at {@code portOf(id)}; none while the file does not exist
   * yet. A line that is not {@code <id> <ipv4> <role>} is an IOException naming it.
   */
  static List<Replica> replicas(Path file, String role, LongToIntFunction portOf) throws IOException {
    List<String> lines;
    try {
      lines = Files.readAllLines(file);
    } catch (NoSuchFileException e) {
      return List.of();
    }
    List<Replica> replicas = new ArrayList<>();
    for (String line : lines) {
      if (line.isBlank()) {
        continue;
      }
      String[] fields = line.trim().split(" +");
      if (fields.length != 3 || !fields[0].matches("\\d{1,18}") || !IPV4.matcher(fields[1]).matches()) {
        throw new IOException(file + ": \"" + line + "\" (expected: <id> <ipv4> <role>)");
      }
      if (fields[2].equals(role)) {
        long id = Long.parseLong(fields[0]);
        InetAddress ip = InetAddress.getByName(fields[1]); // a literal: no name lookup
        replicas.add(new Replica(id, new InetSocketAddress(ip, portOf.applyAsInt(id))));
      }
    }
    replicas.sort(Comparator.comparingLong(Replica::id));
    return replicas;
  }

  private PeersFile() {}
}
