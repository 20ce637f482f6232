package io.boxer.agent.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.proto.agent.v1.PrimeReply;
import io.boxer.proto.v1.PrimeResult;
import java.net.ConnectException;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class PrimeRepliesTest {

  private static final InetAddress MEMBER = address();

  @Test
  void apply_primed_proceeds() {
    assertThatCode(() -> PrimeReplies.apply(reply(PrimeResult.PRIMED, ""), MEMBER, 4000))
        .doesNotThrowAnyException();
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
