package io.boxer.seed;

import java.net.InetAddress;
import java.util.Optional;
import java.util.Set;

/**
 * Hands out the addresses of a {@link VirtualRange} in turn, skipping those in use, so that an address a member
 * left with is taken again only after the rest of the block (a peer slow to hear of the departure does not
 * mistake the newcomer for the member that left). Not thread-safe: the registry calls it under its lock.
 */
final class VirtualAddresses {
  private final VirtualRange range;
  private long next;

  VirtualAddresses(VirtualRange range) {
    this.range = range;
  }

  VirtualRange range() {
    return range;
  }

  /**
   * The next address not in {@code taken}, or empty when every one is taken. Tries at most
   * {@code taken.size() + 1} addresses: more than that many in a row cannot all be taken.
   */
  Optional<InetAddress> assign(Set<InetAddress> taken) {
    long usable = range.usable();
    long tries = Math.min(usable, taken.size() + 1L);
    for (long i = 0; i < tries; i++) {
      long index = (next + i) % usable;
      InetAddress candidate = range.usable(index);
      if (!taken.contains(candidate)) {
        next = (index + 1) % usable;
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
