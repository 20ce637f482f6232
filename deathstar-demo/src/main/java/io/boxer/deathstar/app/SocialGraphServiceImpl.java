package io.boxer.deathstar.app;

import io.boxer.deathstar.proto.FollowRequest;
import io.boxer.deathstar.proto.FollowResponse;
import io.boxer.deathstar.proto.GetUsersRequest;
import io.boxer.deathstar.proto.GetUsersResponse;
import io.boxer.deathstar.proto.SocialGraphServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;
import redis.clients.jedis.AbstractTransaction;
import redis.clients.jedis.UnifiedJedis;

/**
 * social-graph: {@code graph:followees:<id>} and {@code graph:followers:<id>} sets, both sides of an edge changed
 * in one MULTI/EXEC so readers never see half an edge. Users must exist in the seeded {@code user:names} hash.
 */
final class SocialGraphServiceImpl extends SocialGraphServiceGrpc.SocialGraphServiceImplBase {
  private final UnifiedJedis redis;

  /** @param redis not owned */
  SocialGraphServiceImpl(UnifiedJedis redis) {
    this.redis = redis;
  }

  @Override
  public void follow(FollowRequest request, StreamObserver<FollowResponse> observer) {
    UnaryCalls.reply(Role.SOCIAL_GRAPH, observer, () -> {
      String[] edge = checkEdge(request);
      try (AbstractTransaction tx = redis.multi()) {
        tx.sadd(RedisKeys.followees(request.getUserId()), edge[1]);
        tx.sadd(RedisKeys.followers(request.getFolloweeId()), edge[0]);
        tx.exec();
      }
      return FollowResponse.getDefaultInstance();
    });
  }

  @Override
  public void unfollow(FollowRequest request, StreamObserver<FollowResponse> observer) {
    UnaryCalls.reply(Role.SOCIAL_GRAPH, observer, () -> {
      String[] edge = checkEdge(request);
      try (AbstractTransaction tx = redis.multi()) {
        tx.srem(RedisKeys.followees(request.getUserId()), edge[1]);
        tx.srem(RedisKeys.followers(request.getFolloweeId()), edge[0]);
        tx.exec();
      }
      return FollowResponse.getDefaultInstance();
    });
  }

  @Override
  public void getFollowers(GetUsersRequest request, StreamObserver<GetUsersResponse> observer) {
    UnaryCalls.reply(Role.SOCIAL_GRAPH, observer, () -> users(request, RedisKeys::followers));
  }

  @Override
  public void getFollowees(GetUsersRequest request, StreamObserver<GetUsersResponse> observer) {
    UnaryCalls.reply(Role.SOCIAL_GRAPH, observer, () -> users(request, RedisKeys::followees));
  }

  private GetUsersResponse users(GetUsersRequest request, LongFunction<String> key) {
    if (request.getUserId() < 0) {
      throw new IllegalArgumentException("user_id : " + request.getUserId() + " (expected: >= 0)");
    }
    Set<String> members = redis.smembers(key.apply(request.getUserId()));
    return GetUsersResponse.newBuilder()
        .addAllUserIds(members.stream().map(Long::valueOf).sorted().toList())
        .build();
  }

  /** The edge's two ids as strings, after checking both users exist and differ. */
  private String[] checkEdge(FollowRequest request) {
    long user = request.getUserId();
    long followee = request.getFolloweeId();
    if (user < 0 || followee < 0) {
      throw new IllegalArgumentException("user_id, followee_id : " + user + ", " + followee + " (expected: >= 0)");
    }
    if (user == followee) {
      throw new IllegalArgumentException("followee_id : " + followee + " (expected: not the user_id itself)");
    }
    String[] edge = {Long.toString(user), Long.toString(followee)};
    List<String> names = redis.hmget(RedisKeys.USER_NAMES, edge);
    for (int i = 0; i < edge.length; i++) {
      if (names.get(i) == null) {
        throw Status.NOT_FOUND.withDescription("unknown user " + edge[i]).asRuntimeException();
      }
    }
    return edge;
  }
}
