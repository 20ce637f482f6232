package io.boxer.deathstar.app;

import io.boxer.deathstar.proto.ReadTimelineRequest;
import io.boxer.deathstar.proto.ReadTimelineResponse;
import io.boxer.deathstar.proto.UserTimelineServiceGrpc;
import io.boxer.deathstar.proto.WriteUserTimelineRequest;
import io.boxer.deathstar.proto.WriteUserTimelineResponse;
import io.grpc.stub.StreamObserver;
import redis.clients.jedis.UnifiedJedis;

/** user-timeline: each author's posts in {@code timeline:user:<id>}; reads go on to post-storage. */
final class UserTimelineServiceImpl extends UserTimelineServiceGrpc.UserTimelineServiceImplBase {
  private final UnifiedJedis redis;
  private final TimelineReader reader;

  /** @param redis not owned */
  UserTimelineServiceImpl(UnifiedJedis redis, TimelineReader reader) {
    this.redis = redis;
    this.reader = reader;
  }

  @Override
  public void writeUserTimeline(WriteUserTimelineRequest request,
      StreamObserver<WriteUserTimelineResponse> observer) {
    UnaryCalls.reply(Role.USER_TIMELINE, observer, () -> {
      if (request.getUserId() < 0) {
        throw new IllegalArgumentException("user_id : " + request.getUserId() + " (expected: >= 0)");
      }
      if (request.getPostId() <= 0) {
        throw new IllegalArgumentException("post_id : " + request.getPostId() + " (expected: > 0)");
      }
      redis.zadd(RedisKeys.userTimeline(request.getUserId()), request.getTimestampMs(),
          Long.toString(request.getPostId()));
      return WriteUserTimelineResponse.getDefaultInstance();
    });
  }

  @Override
  public void readUserTimeline(ReadTimelineRequest request, StreamObserver<ReadTimelineResponse> observer) {
    UnaryCalls.reply(Role.USER_TIMELINE, observer, () -> reader.read(request));
  }
}
