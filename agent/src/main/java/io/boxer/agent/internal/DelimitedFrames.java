package io.boxer.agent.internal;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Takes varint-length-delimited protobuf messages (the framing of {@code writeDelimitedTo}) out of bytes read so
 * far, one at a time. Stateless.
 */
final class DelimitedFrames {

  private DelimitedFrames() {}

  /**
   * Takes the first complete frame out of {@code buf} (positions 0 to {@code buf.position()}, as a read leaves
   * it): the bytes after it move to the front, ready for the next read.
   *
   * @return the message bytes, or null when more bytes are needed ({@code buf} is left as it was)
   * @throws IOException when the length prefix is malformed or exceeds {@code maxLength}
   */
  static byte[] take(ByteBuffer buf, int maxLength) throws IOException {
    int available = buf.position();
    int length = 0;
    int shift = 0;
    int i = 0;
    while (true) {
      if (i >= available) {
        return null;
      }
      if (i == 5) {
        throw new IOException("malformed length prefix (more than 5 varint bytes)");
      }
      byte b = buf.get(i++);
      length |= (b & 0x7f) << shift;
      if ((b & 0x80) == 0) {
        break;
      }
      shift += 7;
    }
    if (length < 0 || length > maxLength) {
      throw new IOException("message length " + length + " (expected: 0.." + maxLength + ")");
    }
    if (available - i < length) {
      return null;
    }
    byte[] message = new byte[length];
    buf.get(i, message);
    buf.flip().position(i + length);
    buf.compact();
    return message;
  }
}
