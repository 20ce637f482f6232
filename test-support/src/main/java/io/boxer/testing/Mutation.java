package io.boxer.testing;

import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * One byte-level change to an encoded message (as in the agent endpoint's fuzz test). Positions wrap around the
 * message's length, so that every mutation applies to every message.
 */
public record Mutation(Kind kind, int position, byte value, int count) {
  public enum Kind { FLIP_BIT, SET_BYTE, INSERT, DELETE, TRUNCATE }

  /** One to four mutations. */
  public static Arbitrary<List<Mutation>> lists() {
    return Combinators.combine(
            Arbitraries.of(Kind.class),
            Arbitraries.integers().between(0, 1000),
            Arbitraries.bytes(),
            Arbitraries.integers().between(1, 8))
        .as(Mutation::new)
        .list().ofMinSize(1).ofMaxSize(4);
  }

  public static byte[] applyAll(byte[] in, List<Mutation> mutations) {
    byte[] out = in;
    for (Mutation m : mutations) {
      out = m.apply(out);
    }
    return out;
  }

  public byte[] apply(byte[] in) {
    int at = in.length == 0 ? 0 : position % in.length;
    return switch (kind) {
      case FLIP_BIT -> withByte(in, at, (byte) (in.length == 0 ? 0 : in[at] ^ (1 << (value & 7))));
      case SET_BYTE -> withByte(in, at, value);
      case INSERT -> insert(in, position % (in.length + 1));
      case DELETE -> delete(in, at);
      case TRUNCATE -> Arrays.copyOf(in, Math.max(0, in.length - count));
    };
  }

  private static byte[] withByte(byte[] in, int at, byte b) {
    if (in.length == 0) {
      return in;
    }
    byte[] out = in.clone();
    out[at] = b;
    return out;
  }

  private byte[] insert(byte[] in, int at) {
    byte[] out = new byte[in.length + count];
    System.arraycopy(in, 0, out, 0, at);
    for (int i = 0; i < count; i++) {
      out[at + i] = (byte) (value + i);
    }
    System.arraycopy(in, at, out, at + count, in.length - at);
    return out;
  }

  private byte[] delete(byte[] in, int at) {
    int n = Math.min(count, in.length - at);
    byte[] out = new byte[in.length - n];
    System.arraycopy(in, 0, out, 0, at);
    System.arraycopy(in, at + n, out, at, in.length - at - n);
    return out;
  }
}
