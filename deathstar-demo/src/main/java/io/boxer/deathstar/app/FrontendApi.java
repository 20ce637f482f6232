package io.boxer.deathstar.app;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.boxer.deathstar.proto.ComposePostRequest;
import io.boxer.deathstar.proto.ComposePostServiceGrpc.ComposePostServiceBlockingStub;
import io.boxer.deathstar.proto.FollowRequest;
import io.boxer.deathstar.proto.GetUsersRequest;
import io.boxer.deathstar.proto.HomeTimelineServiceGrpc.HomeTimelineServiceBlockingStub;
import io.boxer.deathstar.proto.Post;
import io.boxer.deathstar.proto.PostType;
import io.boxer.deathstar.proto.ReadTimelineRequest;
import io.boxer.deathstar.proto.ReadTimelineResponse;
import io.boxer.deathstar.proto.SocialGraphServiceGrpc.SocialGraphServiceBlockingStub;
import io.boxer.deathstar.proto.UserTimelineServiceGrpc.UserTimelineServiceBlockingStub;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The frontend's operations (DeathStarBench's nginx Lua scripts): checks the HTTP parameters, calls the logic
 * services and shapes the JSON answer. Bad parameters throw {@link IllegalArgumentException}; downstream failures
 * throw {@link io.grpc.StatusRuntimeException}. Thread-safe.
 */
final class FrontendApi {
  private static final long MAX_USER_ID = Long.MAX_VALUE;
  private static final int MAX_USERNAME_LENGTH = 64;

  private final ComposePostServiceBlockingStub composePost;
  private final UserTimelineServiceBlockingStub userTimeline;
  private final HomeTimelineServiceBlockingStub homeTimeline;
  private final SocialGraphServiceBlockingStub socialGraph;
  private final long deadlineMillis;

  FrontendApi(ComposePostServiceBlockingStub composePost, UserTimelineServiceBlockingStub userTimeline,
      HomeTimelineServiceBlockingStub homeTimeline, SocialGraphServiceBlockingStub socialGraph, Duration deadline) {
    this.composePost = composePost;
    this.userTimeline = userTimeline;
    this.homeTimeline = homeTimeline;
    this.socialGraph = socialGraph;
    this.deadlineMillis = deadline.toMillis();
  }

  /**
   * {@code POST /wrk2-api/post/compose}: username, user_id, text, media_ids (optional: {@code 1,2} or
   * {@code [1,2]}), post_type (optional: 0..3 or POST, REPOST, REPLY, DM; default POST).
   * Answers {@code {"post_id": ..., "post": {...}}}.
   */
  JsonObject compose(HttpParams params) {
    String username = params.string("username");
    if (username.length() > MAX_USERNAME_LENGTH) {
      throw new IllegalArgumentException("username : " + username.length() + " characters (expected: at most "
          + MAX_USERNAME_LENGTH + ")");
    }
    ComposePostRequest.Builder request = ComposePostRequest.newBuilder()
        .setUsername(username)
        .setUserId(params.longValue("user_id", 0, MAX_USER_ID))
        .setText(params.string("text"))
        .addAllMediaIds(mediaIds(params.optionalString("media_ids")))
        .setPostType(postType(params.optionalString("post_type")));
    Post post = composePost.withDeadlineAfter(deadlineMillis, MILLISECONDS).composePost(request.build()).getPost();
    JsonObject json = new JsonObject();
    json.addProperty("post_id", post.getPostId());
    json.add("post", PostJson.of(post));
    return json;
  }

  /** {@code GET /wrk2-api/user-timeline/read}: user_id, start (default 0), stop (default 10). */
  JsonObject readUserTimeline(HttpParams params) {
    ReadTimelineRequest request = timelineRequest(params);
    return posts(userTimeline.withDeadlineAfter(deadlineMillis, MILLISECONDS).readUserTimeline(request));
  }

  /** {@code GET /wrk2-api/home-timeline/read}: user_id, start (default 0), stop (default 10). */
  JsonObject readHomeTimeline(HttpParams params) {
    ReadTimelineRequest request = timelineRequest(params);
    return posts(homeTimeline.withDeadlineAfter(deadlineMillis, MILLISECONDS).readHomeTimeline(request));
  }

  /** {@code POST /wrk2-api/user/follow}: user_id, followee_id. */
  JsonObject follow(HttpParams params) {
    FollowRequest request = followRequest(params);
    socialGraph.withDeadlineAfter(deadlineMillis, MILLISECONDS).follow(request);
    return edge(request, true);
  }

  /** {@code POST /wrk2-api/user/unfollow}: user_id, followee_id. */
  JsonObject unfollow(HttpParams params) {
    FollowRequest request = followRequest(params);
    socialGraph.withDeadlineAfter(deadlineMillis, MILLISECONDS).unfollow(request);
    return edge(request, false);
  }

  /** {@code GET /wrk2-api/user/followers}: user_id. Answers {@code {"user_id": 1, "followers": [...]}}. */
  JsonObject followers(HttpParams params) {
    GetUsersRequest request = GetUsersRequest.newBuilder().setUserId(params.longValue("user_id", 0, MAX_USER_ID))
        .build();
    return users(request.getUserId(), "followers",
        socialGraph.withDeadlineAfter(deadlineMillis, MILLISECONDS).getFollowers(request).getUserIdsList());
  }

  /** {@code GET /wrk2-api/user/followees}: user_id. Answers {@code {"user_id": 1, "followees": [...]}}. */
  JsonObject followees(HttpParams params) {
    GetUsersRequest request = GetUsersRequest.newBuilder().setUserId(params.longValue("user_id", 0, MAX_USER_ID))
        .build();
    return users(request.getUserId(), "followees",
        socialGraph.withDeadlineAfter(deadlineMillis, MILLISECONDS).getFollowees(request).getUserIdsList());
  }

  private static ReadTimelineRequest timelineRequest(HttpParams params) {
    ReadTimelineRequest request = ReadTimelineRequest.newBuilder()
        .setUserId(params.longValue("user_id", 0, MAX_USER_ID))
        .setStart((int) params.longValue("start", 0, 0, Integer.MAX_VALUE))
        .setStop((int) params.longValue("stop", 10, 0, Integer.MAX_VALUE))
        .build();
    TimelineRange.check(request);
    return request;
  }

  private static FollowRequest followRequest(HttpParams params) {
    return FollowRequest.newBuilder()
        .setUserId(params.longValue("user_id", 0, MAX_USER_ID))
        .setFolloweeId(params.longValue("followee_id", 0, MAX_USER_ID))
        .build();
  }

  private static JsonObject posts(ReadTimelineResponse response) {
    JsonArray posts = new JsonArray();
    for (Post post : response.getPostsList()) {
      posts.add(PostJson.of(post));
    }
    JsonObject json = new JsonObject();
    json.add("posts", posts);
    return json;
  }

  private static JsonObject edge(FollowRequest request, boolean following) {
    JsonObject json = new JsonObject();
    json.addProperty("user_id", request.getUserId());
    json.addProperty("followee_id", request.getFolloweeId());
    json.addProperty("following", following);
    return json;
  }

  private static JsonObject users(long userId, String field, List<Long> ids) {
    JsonArray array = new JsonArray();
    ids.forEach(array::add);
    JsonObject json = new JsonObject();
    json.addProperty("user_id", userId);
    json.add(field, array);
    return json;
  }

  static List<Long> mediaIds(String value) {
    if (value == null) {
      return List.of();
    }
    String list = value.strip();
    if (list.startsWith("[") && list.endsWith("]")) {
      list = list.substring(1, list.length() - 1).strip();
    }
    if (list.isEmpty()) {
      return List.of();
    }
    return java.util.Arrays.stream(list.split(","))
        .map(s -> s.strip().replace("\"", ""))
        .map(s -> HttpParams.parseLong("media_ids", s, 0, Long.MAX_VALUE))
        .toList();
  }

  static PostType postType(String value) {
    if (value == null) {
      return PostType.POST;
    }
    String expected = " (expected: 0..3 or POST, REPOST, REPLY, DM)";
    if (value.chars().allMatch(Character::isDigit)) {
      PostType type = value.length() <= 2 ? PostType.forNumber(Integer.parseInt(value)) : null;
      if (type == null) {
        throw new IllegalArgumentException("post_type : " + value + expected);
      }
      return type;
    }
    try {
      PostType type = PostType.valueOf(value.toUpperCase(Locale.ROOT));
      if (type != PostType.UNRECOGNIZED) {
        return type;
      }
    } catch (IllegalArgumentException e) {
      // fall through to the message naming the accepted values
    }
    throw new IllegalArgumentException("post_type : '" + value + "'" + expected);
  }
}
