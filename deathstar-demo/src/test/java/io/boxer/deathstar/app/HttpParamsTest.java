package io.boxer.deathstar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HttpParamsTest {
  @Test
  void parse_queryAndForm_decoded_firstValueWins() {
    HttpParams params = HttpParams.parse("user_id=3&start=0", "text=hello+%40user_1&user_id=9");

    assertThat(params.string("text")).isEqualTo("hello @user_1");
    assertThat(params.longValue("user_id", 0, 10)).isEqualTo(3);
  }

  @Test
  void longValue_missing_namesTheParameter() {
    assertThatThrownBy(() -> HttpParams.parse("a=1").longValue("user_id", 0, 10))
        .hasMessage("missing parameter user_id");
  }

  @Test
  void longValue_default_whenAbsent() {
    assertThat(HttpParams.parse((String) null).longValue("stop", 10, 0, 100)).isEqualTo(10);
  }

  @Test
  void longValue_outOfRange_namesRange() {
    assertThatThrownBy(() -> HttpParams.parse("start=-1").longValue("start", 0, 0, 5))
        .hasMessage("start : -1 (expected: 0..5)");
  }

  @Test
  void parse_malformedEncoding_isRejected() {
    assertThatThrownBy(() -> HttpParams.parse("text=%zz")).hasMessageContaining("malformed URL encoding");
  }
}
