package io.boxer.agent.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The name of the interface that carries the IPv4 default route, from the kernel's routing table
 * ({@code /proc/net/route}, Linux): the interface packets to the internet leave by, so the one whose traffic the
 * NAT translates to the node's external address. Stateless; every call reads the table anew (a few hundred bytes).
 */
final class DefaultRouteInterface {

  static final Path ROUTE_TABLE = Path.of("/proc/net/route");
  /** RTF_UP in the table's Flags column. */
  private static final int ROUTE_UP = 0x1;

  private DefaultRouteInterface() {}

  /** The interface of the default route in {@link #ROUTE_TABLE}, or null (no such route, or not Linux). */
  static String read() {
    try {
      return in(Files.readString(ROUTE_TABLE));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The interface of the first up route with destination and mask 0 in {@code table} (the format of
   * {@code /proc/net/route}: a header line, then Iface, Destination, Gateway, Flags, RefCnt, Use, Metric, Mask,
   * ... separated by whitespace, addresses in hex), or null.
   */
  static String in(String table) {
    String[] lines = table.split("\n");
    for (int i = 1; i < lines.length; i++) {
      String[] f = lines[i].trim().split("\\s+");
      if (f.length < 8) {
        continue;
      }
      try {
        if (Long.parseLong(f[1], 16) == 0 && Long.parseLong(f[7], 16) == 0
            && (Integer.parseInt(f[3], 16) & ROUTE_UP) != 0) {
          return f[0];
        }
      } catch (NumberFormatException e) {
        // not a route line
      }
    }
    return null;
  }
}
