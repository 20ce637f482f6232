package io.boxer.control;

import java.net.InetSocketAddress;

/** {@code HOST:PORT} as users write a seed's address (IPv6 hosts in brackets), parsed without resolving it. */
public final class HostPorts {
  private HostPorts() {}

  /**
   * Parses {@code HOST:PORT} into an unresolved address.
   *
   * @throws IllegalArgumentException naming the value and what was expected
   */
  public static InetSocketAddress parse(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException("'" + value + "' (expected: HOST:PORT, e.g. 198.18.0.2:7946)");
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + value + "': port is not a number (expected: HOST:PORT)");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("'" + value + "': port " + port + " (expected: 1..65535)");
    }
    if (host.isBlank()) {
      throw new IllegalArgumentException("'" + value + "': empty host (expected: HOST:PORT)");
    }
    return InetSocketAddress.createUnresolved(host, port);
  }
}
