package io.boxer.deathstar.app;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.boxer.deathstar.proto.GetUsersRequest;
import io.boxer.deathstar.proto.HomeTimelineServiceGrpc;
import io.boxer.deathstar.proto.ReadTimelineRequest;
import io.boxer.deathstar.proto.ReadTimelineResponse;
import io.boxer.deathstar.proto.SocialGraphServiceGrpc.SocialGraphServiceBlockingStub;
import io.boxer.deathstar.proto.WriteHomeTimelineRequest;
import io.boxer.deathstar.proto.WriteHomeTimelineResponse;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;

/**
 * home-timeline: fans a post out to {@code timeline:home:<id>} of its author's followers (asked of social-graph)
 * and of the users it mentions, in one Redis pipeline; reads go on to post-storage.
 */
final class HomeTimelineServiceImpl extends HomeTimelineServiceGrpc.HomeTimelineServiceImplBase {
  private final UnifiedJedis redis;
  private final SocialGraphServiceBlockingStub socialGraph;
  private final TimelineReader reader;
  private final long deadlineMillis;

  /** @param redis not owned */
  HomeTimelineServiceImpl(UnifiedJedis redis, SocialGraphServiceBlockingStub socialGraph, TimelineReader reader,
      Duration deadline) {
    this.redis = redis;
    this.socialGraph = socialGraph;
    this.reader = reader;
    this.deadlineMillis = deadline.toMillis();
  }

  @Override
  public void writeHomeTimeline(WriteHomeTimelineRequest request,
      StreamObserver<WriteHomeTimelineResponse> observer) {
    UnaryCalls.reply(Role.HOME_TIMELINE, observer, () -> {
      if (request.getUserId() < 0) {
        throw new IllegalArgumentException("user_id : " + request.getUserId() + " (expected: >= 0)");
      }
      if (request.getPostId() <= 0) {
        throw new IllegalArgumentException("post_id : " + request.getPostId() + " (expected: > 0)");
      }
      Set<Long> audience = new LinkedHashSet<>(socialGraph.withDeadlineAfter(deadlineMillis, MILLISECONDS)
          .getFollowers(GetUsersRequest.newBuilder().setUserId(request.getUserId()).build())
          .getUserIdsList());
      audience.addAll(request.getMentionedUserIdsList());
      String postId = Long.toString(request.getPostId());
      try (AbstractPipeline pipeline = redis.pipelined()) {
        for (long user : audience) {
          pipeline.zadd(RedisKeys.homeTimeline(user), request.getTimestampMs(), postId);
        }
        pipeline.sync();
      }
      return WriteHomeTimelineResponse.newBuilder().setTimelinesWritten(audience.size()).build();
    });
  }

  @Override
  public void readHomeTimeline(ReadTimelineRequest request, StreamObserver<ReadTimelineResponse> observer) {
    UnaryCalls.reply(Role.HOME_TIMELINE, observer, () -> reader.read(request));
  }
}
