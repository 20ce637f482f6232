package io.boxer.node.priming;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Tells whether some socket in this network namespace listens on a TCP port, by reading the kernel's socket
 * tables ({@code /proc/net/tcp} and {@code /proc/net/tcp6}). Used to answer "refused" to a prime request
 * when nothing listens, so the remote app gets {@code ConnectException} at once instead of a timeout
 * (the NAT drops, it never answers with RST). Stateless and thread-safe.
 */
public final class ListenerProbe {
  private static final String LISTEN_STATE = "0A";
  private final List<Path> tables;

  public ListenerProbe() {
    this(List.of(Path.of("/proc/net/tcp"), Path.of("/proc/net/tcp6")));
  }

  /** Reads the given socket tables instead of the kernel's (for tests). */
  public ListenerProbe(List<Path> tables) {
    this.tables = List.copyOf(tables);
  }

  /** True if any IPv4 or IPv6 socket is in LISTEN state on {@code port}, whatever address it is bound to. */
  public boolean isListening(int port) {
    for (Path table : tables) {
      try {
        if (tableHasListener(Files.readAllLines(table), port)) {
          return true;
        }
      } catch (NoSuchFileException e) {
        // an IPv4-only kernel has no tcp6 table
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + table, e);
      }
    }
    return false;
  }

  /** Parses one table in the /proc/net/tcp format: header line, then "sl local rem st ...". */
  static boolean tableHasListener(List<String> lines, int port) {
    String wanted = String.format(":%04X", port);
    for (int i = 1; i < lines.size(); i++) {
      String[] fields = lines.get(i).trim().split("\\s+");
      if (fields.length > 3 && fields[3].equals(LISTEN_STATE) && fields[1].endsWith(wanted)) {
        return true;
      }
    }
    return false;
  }
}
