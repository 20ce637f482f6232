package io.boxer.hostport;

import java.net.InetSocketAddress;

/**
 * A {@code HOST:PORT} pair as users write it in flags, events and config files; the host is kept unresolved (a
 * name or an IP literal, IPv6 in brackets on input). Immutable.
 *
 * @param host a name or an IP literal, not blank, without brackets
 * @param port 1..65535
 */
public record HostPort(String host, int port) {
  private static final String EXPECTED = " (expected: HOST:PORT, e.g. 198.18.0.2:7946)";

  public HostPort {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("empty host (expected: HOST:PORT)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " (expected: 1..65535)");
    }
  }

  /**
   * Parses {@code HOST:PORT}.
   *
   * @throws IllegalArgumentException naming the value and what was expected; callers put the option's or key's
   *     name in front ({@link #parse(String, String)})
   */
  public static HostPort parse(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException("'" + value + "'" + EXPECTED);
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "': port is not a number" + EXPECTED);
    }
    try {
      return new HostPort(host, port);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("'" + value + "': " + e.getMessage());
    }
  }

  /**
   * Parses {@code HOST:PORT}, naming it {@code name} (an option or config key) in the error.
   *
   * @throws IllegalArgumentException {@code NAME : 'VALUE' ... (expected: ...)}
   */
  public static HostPort parse(String name, String value) {
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(name + " : " + e.getMessage());
    }
  }

  /** The address, not resolved: resolving is the connect's business (and may fail or change later). */
  public InetSocketAddress unresolved() {
    return InetSocketAddress.createUnresolved(host, port);
  }

  /** {@code HOST:PORT}, an IPv6 host in brackets: what {@link #parse} reads back. */
  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
