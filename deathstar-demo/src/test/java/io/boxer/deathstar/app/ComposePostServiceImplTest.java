package io.boxer.deathstar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.deathstar.proto.ComposePostRequest;
import io.boxer.deathstar.proto.ComposePostServiceGrpc;
import io.boxer.deathstar.proto.ComposeUniqueIdRequest;
import io.boxer.deathstar.proto.ComposeUniqueIdResponse;
import io.boxer.deathstar.proto.HomeTimelineServiceGrpc;
import io.boxer.deathstar.proto.Post;
import io.boxer.deathstar.proto.PostStorageServiceGrpc;
import io.boxer.deathstar.proto.ProcessTextRequest;
import io.boxer.deathstar.proto.ProcessTextResponse;
import io.boxer.deathstar.proto.StorePostRequest;
import io.boxer.deathstar.proto.StorePostResponse;
import io.boxer.deathstar.proto.TextServiceGrpc;
import io.boxer.deathstar.proto.UniqueIdServiceGrpc;
import io.boxer.deathstar.proto.Url;
import io.boxer.deathstar.proto.UserMention;
import io.boxer.deathstar.proto.UserTimelineServiceGrpc;
import io.boxer.deathstar.proto.WriteHomeTimelineRequest;
import io.boxer.deathstar.proto.WriteHomeTimelineResponse;
import io.boxer.deathstar.proto.WriteUserTimelineRequest;
import io.boxer.deathstar.proto.WriteUserTimelineResponse;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** compose-post's orchestration against in-process downstream services that record what they are asked. */
class ComposePostServiceImplTest {
  private static final long NOW = 1_750_000_000_000L;
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private final List<Post> stored = new CopyOnWriteArrayList<>();
  private final List<WriteHomeTimelineRequest> fanOuts = new CopyOnWriteArrayList<>();
  private InProcessGrpc downstream;
  private InProcessGrpc compose;

  @BeforeEach
  void start() throws Exception {
    downstream = new InProcessGrpc(new UniqueIdServiceGrpc.UniqueIdServiceImplBase() {
      @Override
      public void composeUniqueId(ComposeUniqueIdRequest request, StreamObserver<ComposeUniqueIdResponse> o) {
        calls.add("unique-id");
        o.onNext(ComposeUniqueIdResponse.newBuilder().setPostId(77).build());
        o.onCompleted();
      }
    }, new TextServiceGrpc.TextServiceImplBase() {
      @Override
      public void processText(ProcessTextRequest request, StreamObserver<ProcessTextResponse> o) {
        calls.add("text");
        if (request.getText().equals("fail")) {
          o.onError(Status.UNAVAILABLE.withDescription("url-shorten down").asRuntimeException());
          return;
        }
        o.onNext(ProcessTextResponse.newBuilder()
            .setText("short " + request.getText())
            .addUrls(Url.newBuilder().setShortenedUrl("http://short-url/A").setExpandedUrl("http://x"))
            .addUserMentions(UserMention.newBuilder().setUserId(3).setUsername("user_3"))
            .build());
        o.onCompleted();
      }
    }, new PostStorageServiceGrpc.PostStorageServiceImplBase() {
      @Override
      public void storePost(StorePostRequest request, StreamObserver<StorePostResponse> o) {
        calls.add("store");
        stored.add(request.getPost());
        o.onNext(StorePostResponse.getDefaultInstance());
        o.onCompleted();
      }
    }, new UserTimelineServiceGrpc.UserTimelineServiceImplBase() {
      @Override
      public void writeUserTimeline(WriteUserTimelineRequest request, StreamObserver<WriteUserTimelineResponse> o) {
        calls.add("user-timeline:" + request.getUserId() + ":" + request.getPostId());
        o.onNext(WriteUserTimelineResponse.getDefaultInstance());
        o.onCompleted();
      }
    }, new HomeTimelineServiceGrpc.HomeTimelineServiceImplBase() {
      @Override
      public void writeHomeTimeline(WriteHomeTimelineRequest request, StreamObserver<WriteHomeTimelineResponse> o) {
        calls.add("home-timeline");
        fanOuts.add(request);
        o.onNext(WriteHomeTimelineResponse.getDefaultInstance());
        o.onCompleted();
      }
    });
    compose = new InProcessGrpc(new ComposePostServiceImpl(
        UniqueIdServiceGrpc.newFutureStub(downstream.channel),
        TextServiceGrpc.newFutureStub(downstream.channel),
        PostStorageServiceGrpc.newBlockingStub(downstream.channel),
        UserTimelineServiceGrpc.newFutureStub(downstream.channel),
        HomeTimelineServiceGrpc.newFutureStub(downstream.channel),
        () -> NOW,
        Duration.ofSeconds(5)));
  }

  @AfterEach
  void stop() throws Exception {
    compose.close();
    downstream.close();
  }

  private Post composeAs(long userId, String text) {
    return ComposePostServiceGrpc.newBlockingStub(compose.channel)
        .composePost(ComposePostRequest.newBuilder().setUsername("user_" + userId).setUserId(userId).setText(text)
            .build())
        .getPost();
  }

  @Test
  void composePost_buildsThePostFromIdAndProcessedText() {
    Post post = composeAs(5, "hello");

    assertThat(post.getPostId()).isEqualTo(77);
    assertThat(post.getText()).isEqualTo("short hello");
    assertThat(post.getCreator().getUsername()).isEqualTo("user_5");
    assertThat(post.getUrlsList()).hasSize(1);
    assertThat(post.getTimestampMs()).isEqualTo(NOW);
    assertThat(stored).containsExactly(post);
  }

  @Test
  void composePost_storesBeforeWritingTimelines() {
    composeAs(5, "hello");

    assertThat(calls.subList(0, 2)).containsExactlyInAnyOrder("unique-id", "text");
    assertThat(calls.get(2)).isEqualTo("store");
    assertThat(calls.subList(3, 5)).containsExactlyInAnyOrder("user-timeline:5:77", "home-timeline");
  }

  @Test
  void composePost_fansOutToMentionedUsers() {
    composeAs(5, "hello");

    assertThat(fanOuts).singleElement().satisfies(r -> {
      assertThat(r.getUserId()).isEqualTo(5);
      assertThat(r.getMentionedUserIdsList()).containsExactly(3L);
    });
  }

  @Test
  void composePost_downstreamFailure_keepsItsCode_andStoresNothing() {
    assertThatThrownBy(() -> composeAs(5, "fail"))
        .isInstanceOf(StatusRuntimeException.class)
        .satisfies(e -> {
          Status status = ((StatusRuntimeException) e).getStatus();
          assertThat(status.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(status.getDescription()).isEqualTo("compose-post: url-shorten down");
        });
    assertThat(stored).isEmpty();
  }

  @Test
  void composePost_emptyUsername_isInvalidArgument() {
    assertThatThrownBy(() -> ComposePostServiceGrpc.newBlockingStub(compose.channel)
        .composePost(ComposePostRequest.newBuilder().setUserId(1).setText("x").build()))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessage("INVALID_ARGUMENT: compose-post: username : '' (expected: non-empty)");
  }
}
