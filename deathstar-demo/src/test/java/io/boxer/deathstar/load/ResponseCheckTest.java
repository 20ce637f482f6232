package io.boxer.deathstar.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ResponseCheckTest {
  @Test
  void timeline_withPosts_passes() {
    assertThat(ResponseCheck.problem(Operation.READ_HOME_TIMELINE, 200, "{\"posts\":[{\"post_id\":5}]}")).isNull();
    assertThat(ResponseCheck.problem(Operation.READ_USER_TIMELINE, 200, "{\"posts\":[]}")).isNull();
  }

  @Test
  void timeline_withoutPostsArray_fails() {
    assertThat(ResponseCheck.problem(Operation.READ_USER_TIMELINE, 200, "{}"))
        .isEqualTo("timeline answer has no posts array");
    assertThat(ResponseCheck.problem(Operation.READ_USER_TIMELINE, 200, "{\"posts\":[{}]}"))
        .isEqualTo("timeline answer has a post without a positive post_id");
  }

  @Test
  void compose_needsAPositivePostId() {
    assertThat(ResponseCheck.problem(Operation.COMPOSE_POST, 200, "{\"post_id\":383073418175578112}")).isNull();
    assertThat(ResponseCheck.problem(Operation.COMPOSE_POST, 200, "{\"post_id\":0}"))
        .isEqualTo("compose answer has no positive post_id");
  }

  @Test
  void follow_needsFollowingTrue() {
    assertThat(ResponseCheck.problem(Operation.FOLLOW, 200, "{\"following\":true}")).isNull();
    assertThat(ResponseCheck.problem(Operation.FOLLOW, 200, "{\"following\":\"yes\"}"))
        .isEqualTo("follow answer lacks \"following\": true");
  }

  @Test
  void errorStatusOrNonJson_fails() {
    assertThat(ResponseCheck.problem(Operation.FOLLOW, 503, "{\"error\":\"UNAVAILABLE\"}"))
        .isEqualTo("HTTP 503: {\"error\":\"UNAVAILABLE\"}");
    assertThat(ResponseCheck.problem(Operation.FOLLOW, 200, "{\"following\":")).isEqualTo("body is not JSON");
    assertThat(ResponseCheck.problem(Operation.FOLLOW, 200, "<html>")).isEqualTo("body is not a JSON object");
    assertThat(ResponseCheck.problem(Operation.FOLLOW, 200, "[1]")).isEqualTo("body is not a JSON object");
  }
}
