package io.boxer.examples.ownaddress;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** A wrong command line of the example programs of this package: printed, exit code 2. */
final class UsageError extends Exception {

  UsageError(String message) {
    super(message);
  }

  /** {@code value} as a TCP port, or a UsageError naming {@code name}. */
  static int port(String name, String value) throws UsageError {
    return intIn(name, value, 1, 65535);
  }

  /** {@code value} as a timeout in milliseconds, 1..600000, or a UsageError naming {@code name}. */
  static int millis(String name, String value) throws UsageError {
    return intIn(name, value, 1, 600_000);
  }

  private static int intIn(String name, String value, int min, int max) throws UsageError {
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= min && parsed <= max) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new UsageError(name + " : " + value + " (expected: " + min + ".." + max + ")");
  }

  /** {@code value} as an IP address literal (no name lookup), or a UsageError naming {@code name}. */
  static InetAddress address(String name, String value) throws UsageError {
    boolean literal = value.matches("[0-9.]+") || value.contains(":");
    try {
      if (literal) {
        return InetAddress.getByName(value);
      }
    } catch (UnknownHostException e) {
      // reported below
    }
    throw new UsageError(name + " : " + value + " (expected: an IPv4 or IPv6 address)");
  }

  /** Exits 2 unless {@code args} has exactly {@code count} elements. */
  static void expectArgs(String[] args, int count, String usage) throws UsageError {
    if (args.length != count) {
      throw new UsageError("usage: " + usage);
    }
  }

  /** Prints the message to stderr and exits 2. */
  void exit() {
    System.err.println(getMessage());
    System.exit(2);
  }
}
