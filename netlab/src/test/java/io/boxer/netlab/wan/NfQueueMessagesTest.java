package io.boxer.netlab.wan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte-exact messages (x86-64: host order is little-endian), checked against linux/netfilter/nfnetlink_queue.h. */
class NfQueueMessagesTest {
  private final ByteBuffer out = NfQueueMessages.buffer(256);

  private static String hex(ByteBuffer b) {
    byte[] bytes = new byte[b.remaining()];
    b.duplicate().get(bytes);
    return HexFormat.of().formatHex(bytes);
  }

  @Test
  void bind_isAConfigCommandToTheQueue_askingForAnAck() {
    NfQueueMessages.bind(out, 3, 1);
    assertThat(hex(out)).isEqualTo(
        "1c000000" + "0203" + "0500" + "01000000" + "00000000" // len 28, type QUEUE<<8|CONFIG, REQUEST|ACK, seq 1
            + "0000" + "0003" // AF_UNSPEC, v0, queue 3 big-endian
            + "0800" + "0100" + "01000000"); // NFQA_CFG_CMD: BIND, pad, pf 0
  }

  @Test
  void configure_copiesMetadataOnly_boundsTheQueue_andKeepsGsoPacketsWhole() {
    NfQueueMessages.configure(out, 0, 8192, 2);
    assertThat(hex(out)).isEqualTo(
        "38000000" + "0203" + "0500" + "02000000" + "00000000" + "0000" + "0000"
            + "0900" + "0200" + "00000000" + "01" + "000000" // PARAMS: range 0, COPY_META, padding
            + "0800" + "0300" + "00002000" // QUEUE_MAXLEN 8192
            + "0800" + "0400" + "00000004" // MASK: F_GSO
            + "0800" + "0500" + "00000004"); // FLAGS: F_GSO
  }

  @Test
  void acceptUpTo_isABatchVerdict_andDropASingleOne() {
    NfQueueMessages.acceptUpTo(out, 0, 0xfffffffeL);
    assertThat(hex(out)).isEqualTo(
        "20000000" + "0303" + "0100" + "00000000" + "00000000" + "0000" + "0000"
            + "0c00" + "0200" + "00000001" + "fffffffe"); // VERDICT_HDR: NF_ACCEPT, id
    NfQueueMessages.drop(out, 0, 5);
    assertThat(hex(out)).isEqualTo(
        "20000000" + "0103" + "0100" + "00000000" + "00000000" + "0000" + "0000"
            + "0c00" + "0200" + "00000000" + "00000005");
  }

  @Test
  void read_handsOverEveryPacketId_skippingOtherAttributes() {
    ByteBuffer in = NfQueueMessages.buffer(256);
    packet(in, 41, true);
    packet(in, 0xfffffff0L, false);
    in.flip();
    List<Long> ids = new ArrayList<>();
    NfQueueMessages.read(in, ids::add);
    assertThat(ids).containsExactly(41L, 0xfffffff0L);
  }

  @Test
  void read_anAckWithoutError_isQuiet_butAnErrorNamesTheErrno() {
    ByteBuffer in = NfQueueMessages.buffer(64);
    error(in, 0);
    in.flip();
    NfQueueMessages.read(in, id -> { throw new AssertionError("no packet in an ack"); });
    in.clear();
    error(in, -1); // EPERM
    in.flip();
    assertThatThrownBy(() -> NfQueueMessages.read(in, id -> { }))
        .hasMessage("nfnetlink_queue refused a request: errno 1");
  }

  @Test
  void read_aTruncatedMessage_isRefused() {
    ByteBuffer in = NfQueueMessages.buffer(64);
    in.putInt(40).putShort((short) 0x0300).putShort((short) 0).putInt(0).putInt(0);
    in.flip();
    assertThatThrownBy(() -> NfQueueMessages.read(in, id -> { })).hasMessageStartingWith("netlink message length : 40");
  }

  /** A packet notification: nfgenmsg, optionally an unrelated attribute first, then NFQA_PACKET_HDR. */
  private static void packet(ByteBuffer in, long id, boolean withOtherAttributeFirst) {
    int start = in.position();
    in.order(ByteOrder.LITTLE_ENDIAN).putInt(0).putShort((short) 0x0300).putShort((short) 0).putInt(0).putInt(0);
    in.put((byte) 2).put((byte) 0).putShort((short) 0);
    if (withOtherAttributeFirst) {
      in.putShort((short) 6).putShort((short) 11).putShort((short) 0x1234).putShort((short) 0); // 2 bytes + pad
    }
    in.putShort((short) 11).putShort((short) 1);
    in.order(ByteOrder.BIG_ENDIAN).putInt((int) id).putShort((short) 0x0800).put((byte) 3).put((byte) 0);
    in.order(ByteOrder.LITTLE_ENDIAN).putInt(start, in.position() - start);
  }

  private static void error(ByteBuffer in, int error) {
    in.order(ByteOrder.LITTLE_ENDIAN).putInt(36).putShort((short) 2).putShort((short) 0).putInt(0).putInt(0);
    in.putInt(error).putInt(0).putShort((short) 0).putShort((short) 0).putInt(0).putInt(0);
  }
}
