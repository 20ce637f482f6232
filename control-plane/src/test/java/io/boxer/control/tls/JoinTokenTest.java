package io.boxer.control.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import org.junit.jupiter.api.Test;

class JoinTokenTest {
  private static final String TOKEN = "boxer_test-token-0123456789abcdef";

  @Test
  void generate_gives256RandomBitsThatParse() {
    String a = JoinToken.generate(new SecureRandom());
    String b = JoinToken.generate(new SecureRandom());
    assertThat(a).startsWith("boxer_").hasSize(6 + 43).isNotEqualTo(b);
    assertThat(JoinToken.parse(a)).isNotEqualTo(JoinToken.parse(b));
  }

  @Test
  void derivation_isTheSameForTheSameToken_andDiffersForAnother() {
    JoinToken one = JoinToken.parse(TOKEN);
    JoinToken same = JoinToken.parse(TOKEN);
    JoinToken other = JoinToken.parse(TOKEN + "x");
    assertThat(one.joinKey()).hasSize(32).isEqualTo(same.joinKey()).isNotEqualTo(other.joinKey());
    assertThat(one.caKeyPair().getPublic()).isEqualTo(same.caKeyPair().getPublic())
        .isNotEqualTo(other.caKeyPair().getPublic());
    assertThat(one.matchesJoinKey(same.joinKey())).isTrue();
    assertThat(one.matchesJoinKey(other.joinKey())).isFalse();
    assertThat(one.matchesJoinKey(new byte[0])).isFalse();
    assertThat(one.matchesJoinKey(null)).isFalse();
  }

  @Test
  void joinKey_isNotTheToken() {
    assertThat(new String(JoinToken.parse(TOKEN).joinKey(), java.nio.charset.StandardCharsets.ISO_8859_1))
        .doesNotContain(TOKEN);
  }

  @Test
  void badTokens_areRejected_withoutEchoingThem() {
    assertThatThrownBy(() -> JoinToken.parse("short-secret")).hasMessageContaining("12 characters")
        .hasMessageNotContaining("short-secret");
    assertThatThrownBy(() -> JoinToken.parse("with a blank in it 0123456789")).hasMessageContaining("character 5")
        .hasMessageNotContaining("blank");
    assertThatThrownBy(() -> JoinToken.parse("x".repeat(257))).hasMessageContaining("257 characters");
    assertThatThrownBy(() -> JoinToken.parse(null)).hasMessageContaining("missing");
  }

  @Test
  void toString_neverShowsTheToken() {
    assertThat(JoinToken.parse(TOKEN).toString()).doesNotContain(TOKEN).contains("redacted");
  }
}
