package io.boxer.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.proto.agent.v1.PrimeReply;
import io.boxer.proto.v1.PrimeResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class DelimitedFramesTest {

  private static final PrimeReply REPLY = PrimeReply.newBuilder()
      .setResult(PrimeResult.FAILED).setDetail("x".repeat(200)).build(); // 2-byte length prefix

  @Test
  void take_wholeFrame_returnsMessage() throws Exception {
    byte[] frame = delimited(REPLY);
    ByteBuffer buf = ByteBuffer.allocate(1024).put(frame);
    assertThat(PrimeReply.parseFrom(DelimitedFrames.take(buf, 1024))).isEqualTo(REPLY);
  }

  @Test
  void take_twoFramesInOneRead_returnsThemInOrderAndKeepsTheRest() throws Exception {
    PrimeReply second = PrimeReply.newBuilder().setResult(PrimeResult.PRIMED).setRequestId(7).build();
    byte[] third = delimited(REPLY);
    ByteBuffer buf = ByteBuffer.allocate(1024).put(delimited(REPLY)).put(delimited(second)).put(third, 0, 3);
    assertThat(PrimeReply.parseFrom(DelimitedFrames.take(buf, 1024))).isEqualTo(REPLY);
    assertThat(PrimeReply.parseFrom(DelimitedFrames.take(buf, 1024))).isEqualTo(second);
    assertThat(DelimitedFrames.take(buf, 1024)).isNull();
    assertThat(buf.position()).isEqualTo(3); // the start of the third frame, waiting for the rest
    buf.put(third, 3, third.length - 3);
    assertThat(PrimeReply.parseFrom(DelimitedFrames.take(buf, 1024))).isEqualTo(REPLY);
    assertThat(buf.position()).isZero();
  }

  @Test
  void take_everyPrefix_needsMoreBytes() throws Exception {
    byte[] frame = delimited(REPLY);
    for (int n = 0; n < frame.length; n++) {
      ByteBuffer buf = ByteBuffer.allocate(1024).put(frame, 0, n);
      assertThat(DelimitedFrames.take(buf, 1024)).as("prefix of %d bytes", n).isNull();
    }
  }

  @Test
  void take_tooLong_rejected() {
    ByteBuffer buf = ByteBuffer.allocate(1024).put(delimited(REPLY));
    assertThatThrownBy(() -> DelimitedFrames.take(buf, 100))
        .isInstanceOf(IOException.class).hasMessageContaining("expected: 0..100");
  }

  @Test
  void take_endlessVarint_rejected() {
    ByteBuffer buf = ByteBuffer.allocate(16);
    for (int i = 0; i < 6; i++) {
      buf.put((byte) 0xff);
    }
    assertThatThrownBy(() -> DelimitedFrames.take(buf, 100)).hasMessageContaining("malformed");
  }

  private static byte[] delimited(PrimeReply reply) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      reply.writeDelimitedTo(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
