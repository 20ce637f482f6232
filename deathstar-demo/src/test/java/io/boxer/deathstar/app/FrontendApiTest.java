package io.boxer.deathstar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.deathstar.proto.PostType;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

class FrontendApiTest {
  @Test
  void mediaIds_acceptsBracketedQuotedOrPlainLists() {
    assertThat(FrontendApi.mediaIds("[1, \"2\"]")).containsExactly(1L, 2L);
    assertThat(FrontendApi.mediaIds("3,4")).containsExactly(3L, 4L);
    assertThat(FrontendApi.mediaIds("[]")).isEmpty();
    assertThat(FrontendApi.mediaIds(null)).isEmpty();
  }

  @Test
  void mediaIds_negative_isRejected() {
    assertThatThrownBy(() -> FrontendApi.mediaIds("1,-2")).hasMessageContaining("media_ids : -2");
  }

  @Test
  void postType_acceptsNumbersAndNames() {
    assertThat(FrontendApi.postType(null)).isEqualTo(PostType.POST);
    assertThat(FrontendApi.postType("2")).isEqualTo(PostType.REPLY);
    assertThat(FrontendApi.postType("dm")).isEqualTo(PostType.DM);
  }

  @Test
  void postType_unknown_listsTheAccepted() {
    assertThatThrownBy(() -> FrontendApi.postType("7")).hasMessage("post_type : 7 (expected: 0..3 or POST, REPOST, REPLY, DM)");
    assertThatThrownBy(() -> FrontendApi.postType("UNRECOGNIZED")).hasMessageContaining("post_type : 'UNRECOGNIZED'");
  }

  @Test
  void httpStatus_mapsDownstreamCodes() {
    assertThat(FrontendHandler.httpStatus(Status.INVALID_ARGUMENT)).isEqualTo(400);
    assertThat(FrontendHandler.httpStatus(Status.NOT_FOUND)).isEqualTo(404);
    assertThat(FrontendHandler.httpStatus(Status.UNAVAILABLE)).isEqualTo(503);
    assertThat(FrontendHandler.httpStatus(Status.DEADLINE_EXCEEDED)).isEqualTo(504);
    assertThat(FrontendHandler.httpStatus(Status.INTERNAL)).isEqualTo(502);
  }
}
