package io.boxer.agent.internal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Which TCP ports the kernel has in use, read from {@code /proc/net/tcp} and {@code /proc/net/tcp6} (this network
 * namespace's sockets, every process's): for the agent to fail a bind that SO_REUSEPORT would otherwise let share a
 * port, without binding anything itself (a throwaway bind of the port upset the node's concurrent SO_REUSEPORT
 * priming binds of it). A line's local address is hex, each 32-bit word in host (little-endian) order, the port big
 * hex; the state {@code 0A} is LISTEN. Linux only. Stateless, thread-safe.
 */
final class PortsInUse {
  private static final String LISTEN = "0A";
  private final List<Path> tables;

  PortsInUse(List<Path> tables) {
    this.tables = List.copyOf(tables);
  }

  static PortsInUse proc() {
    return new PortsInUse(List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")));
  }

  /**
   * Whether a bind of {@code address:port} would meet a socket already there: a listening one always; with
   * {@code anyState} (the binding socket has no SO_REUSEADDR) any socket on the port. Addresses meet when they are
   * equal or either is a wildcard.
   */
  boolean taken(InetAddress address, int port, boolean anyState) throws IOException {
    for (Path table : tables) {
      List<String> lines;
      try {
        lines = Files.readAllLines(table, StandardCharsets.US_ASCII);
      } catch (NoSuchFileException e) {
        continue; // no IPv6 in this kernel or namespace
      }
      for (int i = 1; i < lines.size(); i++) { // line 0 is the header
        if (meets(lines.get(i), address, port, anyState)) {
          return true;
        }
      }
    }
    return false;
  }

  static boolean meets(String line, InetAddress address, int port, boolean anyState) {
    String[] fields = line.trim().split("\\s+");
    if (fields.length < 4) {
      return false;
    }
    int colon = fields[1].indexOf(':');
    if (colon < 0 || Integer.parseInt(fields[1].substring(colon + 1), 16) != port) {
      return false;
    }
    if (!anyState && !fields[3].equals(LISTEN)) {
      return false;
    }
    InetAddress local = address(fields[1].substring(0, colon));
    return local == null || local.isAnyLocalAddress() || address.isAnyLocalAddress() || sameHost(local, address);
  }

  /** Compares an IPv4 address with its IPv4-mapped IPv6 form too. */
  private static boolean sameHost(InetAddress a, InetAddress b) {
    return a.equals(b) || a.getHostAddress().equals(b.getHostAddress());
  }

  /** The address of a hex field, or null if it is malformed (then it is counted as meeting, the safe side). */
  static InetAddress address(String hex) {
    if (hex.length() != 8 && hex.length() != 32) {
      return null;
    }
    byte[] raw = new byte[hex.length() / 2];
    for (int word = 0; word < raw.length / 4; word++) {
      for (int b = 0; b < 4; b++) { // each word is little-endian
        int at = word * 8 + (3 - b) * 2;
        raw[word * 4 + b] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
      }
    }
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
