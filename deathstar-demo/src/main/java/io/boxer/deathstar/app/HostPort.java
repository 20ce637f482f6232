package io.boxer.deathstar.app;

/**
 * A {@code HOST:PORT} pair as written in config files and flags; the host is kept unresolved (a name or an IP
 * literal, IPv6 in brackets on input).
 */
public record HostPort(String host, int port) {

  public HostPort {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("empty host");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " (expected: 1..65535)");
    }
  }

  /**
   * Parses {@code HOST:PORT}.
   *
   * @param what names the value in the error message, e.g. the config key {@code "redis.address"}
   * @throws IllegalArgumentException with a message naming {@code what}, the value and the expected form
   */
  public static HostPort parse(String what, String value) {
    String expected = " (expected: HOST:PORT, e.g. 10.0.0.5:6379)";
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException(what + " : '" + value + "'" + expected);
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    int port;
    try {
      port = Integer.parseInt(value.substring(colon + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " : '" + value + "' has a port that is not a number" + expected);
    }
    try {
      return new HostPort(host, port);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + " : '" + value + "' has " + e.getMessage() + expected);
    }
  }

  @Override
  public String toString() {
    return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
  }
}
