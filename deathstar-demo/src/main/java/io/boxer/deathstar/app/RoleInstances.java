package io.boxer.deathstar.app;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The instances of one role in a peers file ({@code <id> <ip> <role>} per line, as {@code boxer run} keeps it):
 * every member with that role, in file order, at the role's port. Lines of other roles are skipped; a malformed
 * line is an error naming it.
 */
final class RoleInstances {
  private RoleInstances() {}

  static List<InetSocketAddress> parse(String peersFile, String role, int port) {
    List<InetSocketAddress> instances = new ArrayList<>();
    for (String line : peersFile.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] fields = line.trim().split("\\s+");
      if (fields.length != 3) {
        throw new IllegalArgumentException("peers file line '" + line + "' (expected: '<id> <ip> <role>')");
      }
      if (fields[2].equals(role)) {
        instances.add(new InetSocketAddress(fields[1], port));
      }
    }
    return instances;
  }
}
