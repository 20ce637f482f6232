package io.boxer.netlab;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The fixed IPv4 address plan of every lab. All addresses are inside 198.18.0.0/15 (RFC 2544 benchmark
 * space) and only ever configured inside the lab's own namespaces.
 *
 * <pre>
 * public segment 198.18.0.0/24 (bridge br0 in namespace boxer-RUNID-pub)
 *   seed             198.18.0.2
 *   vmI              198.18.0.(10+I)     I in 1..50
 *   natJ WAN         198.18.0.(100+J)    J in 1..50 (the external address of the functions behind it)
 * private segment of function K: 198.19.K.0/24
 *   natJ LAN toward fnK  198.19.K.1      on router J, the one fnK sits behind ({@link LabSpec#functionsPerNat()})
 *   fnK              198.19.K.2          default route via 198.19.K.1
 * </pre>
 *
 * With one function per router (the default) J is K. A function's own addresses never depend on how many
 * functions share its router: a shared router has one LAN interface per function, each with its own /24.
 *
 * Public hosts have no default route: everything they talk to is on the same /24. Lab instances do not
 * collide because each lives in its own namespaces. Stateless and thread-safe.
 */
public final class AddressPlan {
  /** Prefix length of every segment. */
  public static final int PREFIX_LENGTH = 24;

  private AddressPlan() {}

  /** The seed host, 198.18.0.2. */
  public static InetAddress seed() {
    return v4(198, 18, 0, 2);
  }

  /** VM host {@code i} (1-based), 198.18.0.(10+i). */
  public static InetAddress vm(int i) {
    check("vm", i, LabSpec.MAX_VMS);
    return v4(198, 18, 0, 10 + i);
  }

  /**
   * The WAN side of NAT router {@code j} (1-based), 198.18.0.(100+j): the external address of every function
   * behind it.
   */
  public static InetAddress natWan(int j) {
    check("router", j, LabSpec.MAX_FUNCTIONS);
    return v4(198, 18, 0, 100 + j);
  }

  /** The router's address toward function {@code k}, 198.19.k.1: function k's default gateway. */
  public static InetAddress natLan(int k) {
    check("function", k, LabSpec.MAX_FUNCTIONS);
    return v4(198, 19, k, 1);
  }

  /** Function host {@code k} (1-based), 198.19.k.2. */
  public static InetAddress function(int k) {
    check("function", k, LabSpec.MAX_FUNCTIONS);
    return v4(198, 19, k, 2);
  }

  /** {@code address/24}, the form {@code ip addr add} takes. */
  static String cidr(InetAddress address) {
    return address.getHostAddress() + "/" + PREFIX_LENGTH;
  }

  private static void check(String what, int index, int max) {
    if (index < 1 || index > max) {
      throw new IllegalArgumentException(what + " index : " + index + " (expected: 1.." + max + ")");
    }
  }

  private static InetAddress v4(int a, int b, int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (UnknownHostException e) {
      throw new AssertionError("4 bytes is always a valid IPv4 address", e);
    }
  }
}
