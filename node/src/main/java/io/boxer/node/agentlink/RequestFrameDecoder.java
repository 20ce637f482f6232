package io.boxer.node.agentlink;

import java.nio.ByteBuffer;

/**
 * Reads one varint-length-delimited protobuf frame (the framing of {@code writeDelimitedTo}) from bytes that
 * arrive in pieces, refusing a frame longer than a cap. The cap is checked on the length prefix, byte by byte,
 * before the body is allocated: a prefix that announces 200 MiB fails as soon as the bits read so far exceed
 * the cap, and costs nothing. The body array (at most {@code maxBytes}) is allocated once the prefix is
 * complete.
 *
 * <p>Not thread-safe: one instance per connection, fed by the thread that reads it.
 */
final class RequestFrameDecoder {
  /** A varint32 takes at most 5 bytes; protobuf writes lengths that way. */
  private static final int MAX_PREFIX_BYTES = 5;

  private final int maxBytes;
  private long length; // the prefix value so far
  private int prefixBytes; // prefix bytes read so far
  private boolean prefixDone;
  private byte[] body; // null until the prefix is complete
  private int filled; // body bytes read so far

  /** @param maxBytes the longest body accepted, >= 0 */
  RequestFrameDecoder(int maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes : " + maxBytes + " (expected: >= 0)");
    }
    this.maxBytes = maxBytes;
  }

  /**
   * Consumes bytes from {@code src} (position to limit) until the frame is complete, and stops there: bytes
   * after the frame stay in {@code src}.
   *
   * @return the frame's body once complete (then on every later call), null while more bytes are needed
   * @throws MalformedFrameException when the prefix is not a varint32 or announces more than the cap
   */
  byte[] feed(ByteBuffer src) throws MalformedFrameException {
    while (!prefixDone) {
      if (!src.hasRemaining()) {
        return null;
      }
      int b = src.get() & 0xff;
      length |= (long) (b & 0x7f) << (7 * prefixBytes);
      prefixBytes++;
      boolean last = (b & 0x80) == 0;
      if (length > maxBytes) { // later bytes only add higher bits: fail now, not after 5 bytes
        throw new MalformedFrameException(
            "frame length " + (last ? "" : ">= ") + length + " (expected: 0.." + maxBytes + ")");
      }
      if (last) {
        prefixDone = true;
        body = new byte[(int) length];
      } else if (prefixBytes == MAX_PREFIX_BYTES) {
        throw new MalformedFrameException("frame length prefix longer than " + MAX_PREFIX_BYTES + " bytes");
      }
    }
    int n = Math.min(src.remaining(), body.length - filled);
    src.get(body, filled, n);
    filled += n;
    return filled == body.length ? body : null;
  }

  /** Whether any byte of the frame has been consumed. */
  boolean started() {
    return prefixBytes > 0;
  }

  /** Why a frame was refused; the message is a fixed phrase with the offending value. */
  static final class MalformedFrameException extends Exception {
    private static final long serialVersionUID = 1L;

    MalformedFrameException(String message) {
      super(message, null, false, false); // expected input: no stack trace
    }
  }
}
