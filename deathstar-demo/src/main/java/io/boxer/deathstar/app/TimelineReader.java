package io.boxer.deathstar.app;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import io.boxer.deathstar.proto.PostStorageServiceGrpc.PostStorageServiceBlockingStub;
import io.boxer.deathstar.proto.ReadPostsRequest;
import io.boxer.deathstar.proto.ReadTimelineRequest;
import io.boxer.deathstar.proto.ReadTimelineResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.LongFunction;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.params.ZRangeParams;

/**
 * Reads a range of a timeline, a Redis sorted set of post ids by timestamp, newest first, and fetches the posts
 * from post-storage. Shared by user-timeline and home-timeline, which differ only in the key.
 */
final class TimelineReader {
  private final UnifiedJedis redis;
  private final LongFunction<String> key;
  private final PostStorageServiceBlockingStub postStorage;
  private final long deadlineMillis;

  /**
   * @param redis not owned
   * @param key the timeline's key for a user id
   */
  TimelineReader(UnifiedJedis redis, LongFunction<String> key, PostStorageServiceBlockingStub postStorage,
      Duration deadline) {
    this.redis = redis;
    this.key = key;
    this.postStorage = postStorage;
    this.deadlineMillis = deadline.toMillis();
  }

  /** @throws IllegalArgumentException for a bad range (see {@link TimelineRange}) */
  ReadTimelineResponse read(ReadTimelineRequest request) {
    TimelineRange.check(request);
    // ZRANGE key start stop REV: positions counted from the highest score, i.e. the newest post
    List<String> ids = redis.zrange(key.apply(request.getUserId()),
        ZRangeParams.zrangeParams(request.getStart(), request.getStop() - 1L).rev());
    if (ids.isEmpty()) {
      return ReadTimelineResponse.getDefaultInstance();
    }
    ReadPostsRequest.Builder posts = ReadPostsRequest.newBuilder();
    for (String id : ids) {
      posts.addPostIds(Long.parseLong(id));
    }
    return ReadTimelineResponse.newBuilder()
        .addAllPosts(postStorage.withDeadlineAfter(deadlineMillis, MILLISECONDS).readPosts(posts.build()).getPostsList())
        .build();
  }
}
