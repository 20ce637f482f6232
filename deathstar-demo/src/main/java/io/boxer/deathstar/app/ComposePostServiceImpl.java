package io.boxer.deathstar.app;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.boxer.deathstar.proto.ComposePostRequest;
import io.boxer.deathstar.proto.ComposePostResponse;
import io.boxer.deathstar.proto.ComposePostServiceGrpc;
import io.boxer.deathstar.proto.ComposeUniqueIdRequest;
import io.boxer.deathstar.proto.ComposeUniqueIdResponse;
import io.boxer.deathstar.proto.Creator;
import io.boxer.deathstar.proto.HomeTimelineServiceGrpc.HomeTimelineServiceFutureStub;
import io.boxer.deathstar.proto.Post;
import io.boxer.deathstar.proto.PostStorageServiceGrpc.PostStorageServiceBlockingStub;
import io.boxer.deathstar.proto.PostType;
import io.boxer.deathstar.proto.ProcessTextRequest;
import io.boxer.deathstar.proto.ProcessTextResponse;
import io.boxer.deathstar.proto.StorePostRequest;
import io.boxer.deathstar.proto.TextServiceGrpc.TextServiceFutureStub;
import io.boxer.deathstar.proto.UniqueIdServiceGrpc.UniqueIdServiceFutureStub;
import io.boxer.deathstar.proto.UserMention;
import io.boxer.deathstar.proto.UserTimelineServiceGrpc.UserTimelineServiceFutureStub;
import io.boxer.deathstar.proto.WriteHomeTimelineRequest;
import io.boxer.deathstar.proto.WriteHomeTimelineResponse;
import io.boxer.deathstar.proto.WriteUserTimelineRequest;
import io.boxer.deathstar.proto.WriteUserTimelineResponse;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.Future;
import java.util.function.LongSupplier;

/**
 * compose-post: the write path. Asks unique-id and text in parallel, stores the post in post-storage, then writes
 * user-timeline and home-timeline in parallel. The post is stored before any timeline names it, so a timeline
 * read never finds an id whose post is missing.
 */
final class ComposePostServiceImpl extends ComposePostServiceGrpc.ComposePostServiceImplBase {
  static final int MAX_MEDIA = 16;

  private final UniqueIdServiceFutureStub uniqueId;
  private final TextServiceFutureStub text;
  private final PostStorageServiceBlockingStub postStorage;
  private final UserTimelineServiceFutureStub userTimeline;
  private final HomeTimelineServiceFutureStub homeTimeline;
  private final LongSupplier clockMillis;
  private final long deadlineMillis;

  ComposePostServiceImpl(UniqueIdServiceFutureStub uniqueId, TextServiceFutureStub text,
      PostStorageServiceBlockingStub postStorage, UserTimelineServiceFutureStub userTimeline,
      HomeTimelineServiceFutureStub homeTimeline, LongSupplier clockMillis, Duration deadline) {
    this.uniqueId = uniqueId;
    this.text = text;
    this.postStorage = postStorage;
    this.userTimeline = userTimeline;
    this.homeTimeline = homeTimeline;
    this.clockMillis = clockMillis;
    this.deadlineMillis = deadline.toMillis();
  }

  @Override
  public void composePost(ComposePostRequest request, StreamObserver<ComposePostResponse> observer) {
    UnaryCalls.reply(Role.COMPOSE_POST, observer, () -> {
      check(request);
      Future<ComposeUniqueIdResponse> id = uniqueId.withDeadlineAfter(deadlineMillis, MILLISECONDS)
          .composeUniqueId(ComposeUniqueIdRequest.getDefaultInstance());
      Future<ProcessTextResponse> processed = text.withDeadlineAfter(deadlineMillis, MILLISECONDS)
          .processText(ProcessTextRequest.newBuilder().setText(request.getText()).build());
      long postId = RpcFutures.await(id).getPostId();
      ProcessTextResponse body = RpcFutures.await(processed);
      Post post = Post.newBuilder()
          .setPostId(postId)
          .setCreator(Creator.newBuilder().setUserId(request.getUserId()).setUsername(request.getUsername()))
          .setText(body.getText())
          .addAllUrls(body.getUrlsList())
          .addAllUserMentions(body.getUserMentionsList())
          .addAllMediaIds(request.getMediaIdsList())
          .setPostType(request.getPostType())
          .setTimestampMs(clockMillis.getAsLong())
          .build();
      postStorage.withDeadlineAfter(deadlineMillis, MILLISECONDS)
          .storePost(StorePostRequest.newBuilder().setPost(post).build());
      Future<WriteUserTimelineResponse> own = userTimeline.withDeadlineAfter(deadlineMillis, MILLISECONDS)
          .writeUserTimeline(WriteUserTimelineRequest.newBuilder()
              .setUserId(post.getCreator().getUserId())
              .setPostId(postId)
              .setTimestampMs(post.getTimestampMs())
              .build());
      Future<WriteHomeTimelineResponse> home = homeTimeline.withDeadlineAfter(deadlineMillis, MILLISECONDS)
          .writeHomeTimeline(WriteHomeTimelineRequest.newBuilder()
              .setUserId(post.getCreator().getUserId())
              .setPostId(postId)
              .setTimestampMs(post.getTimestampMs())
              .addAllMentionedUserIds(post.getUserMentionsList().stream().map(UserMention::getUserId).toList())
              .build());
      RpcFutures.await(own);
      RpcFutures.await(home);
      return ComposePostResponse.newBuilder().setPost(post).build();
    });
  }

  private static void check(ComposePostRequest request) {
    if (request.getUsername().isEmpty()) {
      throw new IllegalArgumentException("username : '' (expected: non-empty)");
    }
    if (request.getUserId() < 0) {
      throw new IllegalArgumentException("user_id : " + request.getUserId() + " (expected: >= 0)");
    }
    if (request.getMediaIdsCount() > MAX_MEDIA) {
      throw new IllegalArgumentException("media_ids : " + request.getMediaIdsCount() + " ids (expected: at most "
          + MAX_MEDIA + ")");
    }
    for (long media : request.getMediaIdsList()) {
      if (media < 0) {
        throw new IllegalArgumentException("media_ids : " + media + " (expected: >= 0)");
      }
    }
    if (request.getPostType() == PostType.UNRECOGNIZED) {
      throw new IllegalArgumentException("post_type : " + request.getPostTypeValue() + " (expected: 0..3)");
    }
  }
}
