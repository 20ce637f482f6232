package io.boxer.seed;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 block, {@code a.b.c.d/n}, from which the seed hands out virtual addresses: one per member that shares
 * its NAT's external address with another member (docs/relay.md, "Several functions behind one NAT"). Its
 * usable addresses are the block's host addresses: without the network and broadcast addresses for blocks of 4
 * or more. Immutable and thread-safe.
 */
public record VirtualRange(int network, int prefixLength) {
  /**
   * The default block: RFC 6598's shared address space, meant for addresses behind a carrier-grade NAT, which is
   * what a member with a virtual address is. Lambda functions' external addresses are public, so no member's
   * real address falls inside it; a seed whose members reach it from such addresses picks another block.
   */
  public static final VirtualRange DEFAULT = parse("100.64.0.0/10");
  /** The narrowest block: 4 addresses, 2 usable. */
  public static final int MAX_PREFIX_LENGTH = 30;
  /** The widest block: more than anyone needs, and no /0 that swallows every address. */
  public static final int MIN_PREFIX_LENGTH = 8;

  public VirtualRange {
    if (prefixLength < MIN_PREFIX_LENGTH || prefixLength > MAX_PREFIX_LENGTH) {
      throw new IllegalArgumentException(text(network) + "/" + prefixLength + " (expected: a prefix length of "
          + MIN_PREFIX_LENGTH + ".." + MAX_PREFIX_LENGTH + ")");
    }
    if ((network & ~mask(prefixLength)) != 0) {
      throw new IllegalArgumentException(text(network) + "/" + prefixLength + " (expected: the block's first"
          + " address, " + text(network & mask(prefixLength)) + "/" + prefixLength + ")");
    }
  }

  /**
   * Parses {@code a.b.c.d/n}.
   *
   * @throws IllegalArgumentException "CIDR (expected: ...)" if {@code cidr} is not an IPv4 block of /8../30
   */
  public static VirtualRange parse(String cidr) {
    int slash = cidr == null ? -1 : cidr.indexOf('/');
    if (slash < 0 || !cidr.substring(0, slash).matches("\\d{1,3}(\\.\\d{1,3}){3}")
        || !cidr.substring(slash + 1).matches("\\d{1,2}")) {
      throw new IllegalArgumentException(cidr + " (expected: an IPv4 block a.b.c.d/n with n in "
          + MIN_PREFIX_LENGTH + ".." + MAX_PREFIX_LENGTH + ", e.g. 100.64.0.0/10)");
    }
    int address = 0;
    for (String part : cidr.substring(0, slash).split("\\.")) {
      int octet = Integer.parseInt(part);
      if (octet > 255) {
        throw new IllegalArgumentException(cidr + " (expected: an IPv4 block with octets 0..255)");
      }
      address = address << 8 | octet;
    }
    return new VirtualRange(address, Integer.parseInt(cidr.substring(slash + 1)));
  }

  /** Whether {@code address} lies in this block (network and broadcast addresses included). */
  public boolean contains(InetAddress address) {
    return address instanceof Inet4Address && (toInt(address) & mask(prefixLength)) == network;
  }

  /** The number of usable addresses. */
  long usable() {
    return size() - 2;
  }

  /** The {@code i}-th usable address, {@code 0 <= i < usable()}. */
  InetAddress usable(long i) {
    if (i < 0 || i >= usable()) {
      throw new IndexOutOfBoundsException("usable address " + i + " of " + usable());
    }
    return toAddress(network + 1 + (int) i);
  }

  private long size() {
    return 1L << (32 - prefixLength);
  }

  private static int mask(int prefixLength) {
    return (int) (0xFFFF_FFFFL << (32 - prefixLength));
  }

  private static int toInt(InetAddress address) {
    byte[] b = address.getAddress();
    return (b[0] & 0xFF) << 24 | (b[1] & 0xFF) << 16 | (b[2] & 0xFF) << 8 | (b[3] & 0xFF);
  }

  private static InetAddress toAddress(int address) {
    try {
      return InetAddress.getByAddress(new byte[] {
          (byte) (address >>> 24), (byte) (address >>> 16), (byte) (address >>> 8), (byte) address});
    } catch (UnknownHostException e) {
      throw new AssertionError("4 bytes are an IPv4 address", e);
    }
  }

  private static String text(int address) {
    return toAddress(address).getHostAddress();
  }

  @Override
  public String toString() {
    return text(network) + "/" + prefixLength;
  }
}
