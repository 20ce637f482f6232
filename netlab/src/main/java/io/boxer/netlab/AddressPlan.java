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
 *   natK WAN         198.18.0.(100+K)    K in 1..50 (the function's external address)
 * private segment of function K: 198.19.K.0/24
 *   natK LAN         198.19.K.1
 *   fnK              198.19.K.2          default route via 198.19.K.1
 * </pre>
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

  /** The WAN side of NAT router {@code k} (1-based), 198.18.0.(100+k): function k's external address. */
  public static InetAddress natWan(int k) {
    check("function", k, LabSpec.MAX_FUNCTIONS);
    return v4(198, 18, 0, 100 + k);
  }

  /** The LAN side of NAT router {@code k}, 198.19.k.1: function k's default gateway. */
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
