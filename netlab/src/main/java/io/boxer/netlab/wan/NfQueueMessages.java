package io.boxer.netlab.wan;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.function.LongConsumer;

/**
 * The nfnetlink_queue messages the delayer sends and reads, encoded by hand (linux/netfilter/nfnetlink_queue.h):
 * a netlink header in host byte order, then {@code struct nfgenmsg} whose {@code res_id} is the queue number
 * (big-endian), then attributes ({@code struct nlattr}, 4-byte aligned) whose payloads are big-endian. Pure:
 * builds and parses buffers only, so every byte is unit-testable. Stateless and thread-safe.
 */
final class NfQueueMessages {
  static final int NLMSG_ERROR = 2;
  static final int NLM_F_REQUEST = 0x1;
  static final int NLM_F_ACK = 0x4;
  static final int NFNL_SUBSYS_QUEUE = 3;
  static final int NFQNL_MSG_PACKET = 0;
  static final int NFQNL_MSG_VERDICT = 1;
  static final int NFQNL_MSG_CONFIG = 2;
  static final int NFQNL_MSG_VERDICT_BATCH = 3;
  static final int NFQA_PACKET_HDR = 1;
  static final int NFQA_VERDICT_HDR = 2;
  static final int NFQA_CFG_CMD = 1;
  static final int NFQA_CFG_PARAMS = 2;
  static final int NFQA_CFG_QUEUE_MAXLEN = 3;
  static final int NFQA_CFG_MASK = 4;
  static final int NFQA_CFG_FLAGS = 5;
  static final int NFQNL_CFG_CMD_BIND = 1;
  /** Only the packet's metadata comes up: the delayer never reads a payload, so none is copied. */
  static final int NFQNL_COPY_META = 1;
  /** Queue GSO packets whole instead of having the kernel segment them first (we never look inside). */
  static final int NFQA_CFG_F_GSO = 1 << 2;
  static final int NF_DROP = 0;
  static final int NF_ACCEPT = 1;

  private static final int NLMSG_HEADER = 16;
  private static final int NFGENMSG = 4;

  private NfQueueMessages() {}

  /** A direct buffer in host byte order, as netlink headers are; big enough for any message built here. */
  static ByteBuffer buffer(int capacity) {
    return ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
  }

  /** Binds this socket to queue {@code queue} (in the socket's network namespace). Asks for an ack. */
  static void bind(ByteBuffer out, int queue, int seq) {
    begin(out, NFQNL_MSG_CONFIG, NLM_F_REQUEST | NLM_F_ACK, seq, queue);
    int attr = beginAttr(out, NFQA_CFG_CMD);
    out.put((byte) NFQNL_CFG_CMD_BIND).put((byte) 0).putShort((short) 0); // command, pad, pf (unused)
    endAttr(out, attr);
    end(out);
  }

  /**
   * Sets queue {@code queue} to copy metadata only, to hold at most {@code maxLength} packets (the kernel drops
   * and counts the rest), and to queue GSO packets unsegmented. Asks for an ack.
   */
  static void configure(ByteBuffer out, int queue, int maxLength, int seq) {
    begin(out, NFQNL_MSG_CONFIG, NLM_F_REQUEST | NLM_F_ACK, seq, queue);
    int attr = beginAttr(out, NFQA_CFG_PARAMS);
    out.order(ByteOrder.BIG_ENDIAN).putInt(0).put((byte) NFQNL_COPY_META); // copy_range, copy_mode (packed)
    endAttr(out, attr);
    attr = beginAttr(out, NFQA_CFG_QUEUE_MAXLEN);
    out.order(ByteOrder.BIG_ENDIAN).putInt(maxLength);
    endAttr(out, attr);
    attr = beginAttr(out, NFQA_CFG_MASK);
    out.order(ByteOrder.BIG_ENDIAN).putInt(NFQA_CFG_F_GSO);
    endAttr(out, attr);
    attr = beginAttr(out, NFQA_CFG_FLAGS);
    out.order(ByteOrder.BIG_ENDIAN).putInt(NFQA_CFG_F_GSO);
    endAttr(out, attr);
    end(out);
  }

  /** Accepts every packet of {@code queue} whose id is at most {@code id} (one message for a whole batch). */
  static void acceptUpTo(ByteBuffer out, int queue, long id) {
    verdict(out, NFQNL_MSG_VERDICT_BATCH, queue, NF_ACCEPT, id);
  }

  /** Drops packet {@code id} of {@code queue}. */
  static void drop(ByteBuffer out, int queue, long id) {
    verdict(out, NFQNL_MSG_VERDICT, queue, NF_DROP, id);
  }

  private static void verdict(ByteBuffer out, int type, int queue, int verdict, long id) {
    begin(out, type, NLM_F_REQUEST, 0, queue);
    int attr = beginAttr(out, NFQA_VERDICT_HDR);
    out.order(ByteOrder.BIG_ENDIAN).putInt(verdict).putInt((int) id);
    endAttr(out, attr);
    end(out);
  }

  /**
   * Reads the netlink messages in {@code in} (position to limit): hands every queued packet's id (unsigned 32
   * bits) to {@code packetIds}, in order.
   *
   * @throws IllegalStateException for a netlink error message (a refused config, say), naming the errno, or a
   *     malformed message
   */
  static void read(ByteBuffer in, LongConsumer packetIds) {
    in.order(ByteOrder.nativeOrder());
    while (in.remaining() >= NLMSG_HEADER) {
      int start = in.position();
      int length = in.getInt(start);
      int type = in.getShort(start + 4) & 0xffff;
      if (length < NLMSG_HEADER || length > in.remaining()) {
        throw new IllegalStateException("netlink message length : " + length + " (expected: 16.." + in.remaining()
            + ")");
      }
      if (type == NLMSG_ERROR) {
        int errno = -in.getInt(start + NLMSG_HEADER);
        if (errno != 0) {
          throw new IllegalStateException("nfnetlink_queue refused a request: errno " + errno);
        }
      } else if (type == (NFNL_SUBSYS_QUEUE << 8 | NFQNL_MSG_PACKET)) {
        long id = packetId(in, start + NLMSG_HEADER + NFGENMSG, start + length);
        if (id >= 0) {
          packetIds.accept(id);
        }
      }
      in.position(Math.min(in.limit(), start + align(length)));
    }
  }

  /** The id in the message's NFQA_PACKET_HDR attribute, or -1 if it has none. */
  private static long packetId(ByteBuffer in, int from, int to) {
    int at = from;
    while (at + 4 <= to) {
      int length = in.getShort(at) & 0xffff;
      int type = in.getShort(at + 2) & 0x7fff; // without NLA_F_NESTED
      if (length < 4) {
        throw new IllegalStateException("netlink attribute length : " + length + " (expected: >= 4)");
      }
      if (type == NFQA_PACKET_HDR && length >= 8) {
        return Integer.toUnsignedLong(bigEndianInt(in, at + 4));
      }
      at += align(length);
    }
    return -1;
  }

  /** A big-endian int at {@code at}, leaving the buffer's (host) byte order alone. */
  private static int bigEndianInt(ByteBuffer in, int at) {
    return (in.get(at) & 0xff) << 24 | (in.get(at + 1) & 0xff) << 16 | (in.get(at + 2) & 0xff) << 8
        | (in.get(at + 3) & 0xff);
  }

  private static void begin(ByteBuffer out, int type, int flags, int seq, int queue) {
    out.clear().order(ByteOrder.nativeOrder());
    out.putInt(0); // length, set by end()
    out.putShort((short) (NFNL_SUBSYS_QUEUE << 8 | type)).putShort((short) flags).putInt(seq).putInt(0);
    out.put((byte) 0).put((byte) 0); // nfgen_family AF_UNSPEC, version NFNETLINK_V0
    out.order(ByteOrder.BIG_ENDIAN).putShort((short) queue);
  }

  private static int beginAttr(ByteBuffer out, int type) {
    int at = out.position();
    out.order(ByteOrder.nativeOrder()).putShort((short) 0).putShort((short) type);
    return at;
  }

  private static void endAttr(ByteBuffer out, int at) {
    int length = out.position() - at;
    out.order(ByteOrder.nativeOrder()).putShort(at, (short) length);
    while (out.position() % 4 != 0) {
      out.put((byte) 0);
    }
  }

  private static void end(ByteBuffer out) {
    out.order(ByteOrder.nativeOrder()).putInt(0, out.position());
    out.flip();
  }

  private static int align(int length) {
    return (length + 3) & ~3;
  }
}
