package io.boxer.control.relay;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The relay port's wire format (seed.proto, "The relay"): a connection opens with {@link #PREAMBLE_BYTES} bytes,
 * the magic {@code BXR1} and a 16-byte ticket; the relay answers {@link #PAIRED} once both ends of the session are
 * there, and copies bytes from then on. Stateless.
 */
public final class RelayWire {
  public static final int TICKET_BYTES = 16;
  private static final byte[] MAGIC = "BXR1".getBytes(StandardCharsets.US_ASCII);
  public static final int PREAMBLE_BYTES = MAGIC.length + TICKET_BYTES;
  /** The relay's one-byte answer: the other end is connected, bytes flow from now on. */
  public static final byte PAIRED = 1;
  private static final SecureRandom RANDOM = new SecureRandom();

  private RelayWire() {}

  /** A fresh random ticket. */
  public static byte[] newTicket() {
    byte[] ticket = new byte[TICKET_BYTES];
    RANDOM.nextBytes(ticket);
    return ticket;
  }

  /** The preamble a relay client writes first. */
  public static ByteBuf preamble(byte[] ticket) {
    if (ticket.length != TICKET_BYTES) {
      throw new IllegalArgumentException("ticket : " + ticket.length + " bytes (expected: " + TICKET_BYTES + ")");
    }
    return Unpooled.wrappedBuffer(MAGIC, ticket);
  }

  /**
   * The ticket in a preamble of exactly {@link #PREAMBLE_BYTES} bytes.
   *
   * @throws IllegalArgumentException if the magic is wrong
   */
  public static byte[] ticketOf(ByteBuf preamble) {
    byte[] bytes = new byte[PREAMBLE_BYTES];
    preamble.readBytes(bytes);
    if (!Arrays.equals(bytes, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
      throw new IllegalArgumentException("not a relay preamble (magic " + hex(bytes, MAGIC.length) + ")");
    }
    return Arrays.copyOfRange(bytes, MAGIC.length, PREAMBLE_BYTES);
  }

  private static String hex(byte[] bytes, int length) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < length; i++) {
      s.append(String.format("%02x", bytes[i] & 0xff));
    }
    return s.toString();
  }
}
