package io.boxer.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.boxer.proto.agent.v1.PrimeReply;
import io.boxer.proto.v1.Endpoint;
import io.boxer.proto.v1.PrimeResult;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrimeRepliesTest {

  private static final InetAddress MEMBER = address();

  @Test
  void apply_primed_proceedsToTheMember() throws Exception {
    assertThat(PrimeReplies.apply(reply(PrimeResult.PRIMED, ""), MEMBER, 4000)).isNull();
  }

  @Test
  void apply_notMember_proceeds() {
    assertThatCode(() -> PrimeReplies.apply(reply(PrimeResult.NOT_MEMBER, "left"), MEMBER, 4000))
        .doesNotThrowAnyException();
  }

  @Test
  void apply_refused_connectionRefused() {
    assertThatThrownBy(() -> PrimeReplies.apply(reply(PrimeResult.REFUSED, "nothing listens"), MEMBER, 4000))
        .isExactlyInstanceOf(ConnectException.class)
        .hasMessage("Connection refused");
  }

  @Test
  void apply_failed_namesBoxerDestinationAndDetail() {
    assertThatThrownBy(() -> PrimeReplies.apply(reply(PrimeResult.FAILED, "peer unreachable"), MEMBER, 4000))
        .isExactlyInstanceOf(ConnectException.class)
        .hasMessage("Boxer: priming 198.18.99.1:4000 failed: peer unreachable");
  }

  @Test
  void apply_unspecified_isFailure() {
    assertThatThrownBy(() -> PrimeReplies.apply(PrimeReply.getDefaultInstance(), MEMBER, 4000))
        .hasMessage("Boxer: priming 198.18.99.1:4000 failed: unexpected reply result 0");
  }

  @Test
  void apply_unknownEnumValue_isFailure() {
    assertThatThrownBy(() -> PrimeReplies.apply(PrimeReply.newBuilder().setResultValue(42).build(), MEMBER, 1))
        .hasMessageEndingWith("unexpected reply result 42");
  }

  @Test
  void apply_useRelay_returnsTheLoopbackEndpoint() throws Exception {
    assertThat(PrimeReplies.apply(useRelay(new byte[] {127, 0, 0, 1}, 47001), MEMBER, 4000))
        .isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 47001));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
    "127.0.0.1 | 0     | port 0 (expected: 1..65535)",
    "127.0.0.1 | 65536 | port 65536 (expected: 1..65535)",
    "127.0.0.1 | -1    | port 4294967295 (expected: 1..65535)",
    "10.0.0.1  | 47001 | 10.0.0.1:47001 is not loopback",
    "0.0.0.0   | 47001 | 0.0.0.0:47001 is not loopback",
  })
  void apply_useRelay_invalidEndpoint_isFailure(String ip, int port, String why) throws Exception {
    PrimeReply reply = useRelay(InetAddress.getByName(ip).getAddress(), port);

    assertThatThrownBy(() -> PrimeReplies.apply(reply, MEMBER, 4000)).isExactlyInstanceOf(ConnectException.class)
        .hasMessage("Boxer: priming 198.18.99.1:4000 failed: node offered an invalid relay endpoint (" + why + ")");
  }

  @Test
  void apply_useRelay_withoutEndpoint_isFailure() {
    assertThatThrownBy(() -> PrimeReplies.apply(reply(PrimeResult.USE_RELAY, ""), MEMBER, 4000))
        .hasMessage("Boxer: priming 198.18.99.1:4000 failed: node offered an invalid relay endpoint (none)");
  }

  @Test
  void apply_useRelay_ipOfNeitherFamily_isFailure() {
    assertThatThrownBy(() -> PrimeReplies.apply(useRelay(new byte[] {127, 0, 1}, 47001), MEMBER, 4000))
        .hasMessage("Boxer: priming 198.18.99.1:4000 failed: node offered an invalid relay endpoint "
            + "(ip of 3 bytes (expected: 4 or 16))");
  }

  private static PrimeReply useRelay(byte[] ip, int port) {
    return PrimeReply.newBuilder().setResult(PrimeResult.USE_RELAY)
        .setRelay(Endpoint.newBuilder().setIp(ByteString.copyFrom(ip)).setPort(port)).build();
  }

  private static PrimeReply reply(PrimeResult result, String detail) {
    return PrimeReply.newBuilder().setResult(result).setDetail(detail).build();
  }

  private static InetAddress address() {
    try {
      return InetAddress.getByName("198.18.99.1");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
