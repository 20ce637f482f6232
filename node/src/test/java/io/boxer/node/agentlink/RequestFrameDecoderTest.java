package io.boxer.node.agentlink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.node.agentlink.RequestFrameDecoder.MalformedFrameException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class RequestFrameDecoderTest {

  private static ByteBuffer bytes(int... values) {
    ByteBuffer buf = ByteBuffer.allocate(values.length);
    for (int v : values) {
      buf.put((byte) v);
    }
    return buf.flip();
  }

  @Test
  void feed_completesAFrameThatArrivesByteByByte() throws Exception {
    RequestFrameDecoder decoder = new RequestFrameDecoder(16);

    assertThat(decoder.feed(bytes(3))).isNull();
    assertThat(decoder.feed(bytes(7))).isNull();
    assertThat(decoder.feed(bytes(8))).isNull();
    assertThat(decoder.feed(bytes(9))).containsExactly(7, 8, 9);
  }

  @Test
  void feed_leavesTheBytesAfterTheFrame() throws Exception {
    RequestFrameDecoder decoder = new RequestFrameDecoder(16);
    ByteBuffer in = bytes(1, 42, 5, 6);

    assertThat(decoder.feed(in)).containsExactly(42);
    assertThat(in.remaining()).isEqualTo(2);
  }

  @Test
  void feed_acceptsAnEmptyFrame() throws Exception {
    assertThat(new RequestFrameDecoder(16).feed(bytes(0))).isEmpty();
  }

  @Test
  void feed_acceptsAFrameOfExactlyTheCap() throws Exception {
    RequestFrameDecoder decoder = new RequestFrameDecoder(200);
    ByteBuffer in = ByteBuffer.allocate(202).put((byte) 0xc8).put((byte) 0x01).position(202).flip();

    assertThat(decoder.feed(in)).hasSize(200);
  }

  @Test
  void feed_refusesALengthOverTheCapBeforeTheBody() {
    RequestFrameDecoder decoder = new RequestFrameDecoder(200);

    assertThatThrownBy(() -> decoder.feed(bytes(0xc9, 0x01)))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessage("frame length 201 (expected: 0..200)");
  }

  @Test
  void feed_refusesAHugeLengthAsSoonAsItsBitsExceedTheCap() {
    RequestFrameDecoder decoder = new RequestFrameDecoder(4096);

    // 0xff 0xff ... : after two bytes the length is at least 16383
    assertThatThrownBy(() -> decoder.feed(bytes(0xff, 0xff)))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessage("frame length >= 16383 (expected: 0..4096)");
  }

  @Test
  void feed_refusesAPrefixOfMoreThanFiveBytes() {
    RequestFrameDecoder decoder = new RequestFrameDecoder(4096);

    assertThatThrownBy(() -> decoder.feed(bytes(0x80, 0x80, 0x80, 0x80, 0x80, 0x00)))
        .isInstanceOf(MalformedFrameException.class)
        .hasMessage("frame length prefix longer than 5 bytes");
  }

  @Test
  void started_isFalseUntilTheFirstByte() throws Exception {
    RequestFrameDecoder decoder = new RequestFrameDecoder(16);
    assertThat(decoder.started()).isFalse();

    decoder.feed(bytes(2));

    assertThat(decoder.started()).isTrue();
  }
}
