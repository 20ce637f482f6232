package io.boxer.deathstar.app;

import io.boxer.deathstar.proto.ResolveMentionsRequest;
import io.boxer.deathstar.proto.ResolveMentionsResponse;
import io.boxer.deathstar.proto.UserMention;
import io.boxer.deathstar.proto.UserMentionServiceGrpc;
import io.grpc.stub.StreamObserver;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/** user-mention (in the url-shorten process): usernames to ids through the seeded {@code user:ids} hash. */
final class UserMentionServiceImpl extends UserMentionServiceGrpc.UserMentionServiceImplBase {
  static final int MAX_USERNAMES = 64;

  private final UnifiedJedis redis;

  /** @param redis not owned */
  UserMentionServiceImpl(UnifiedJedis redis) {
    this.redis = redis;
  }

  @Override
  public void resolveMentions(ResolveMentionsRequest request, StreamObserver<ResolveMentionsResponse> observer) {
    UnaryCalls.reply(Role.URL_SHORTEN, observer, () -> {
      if (request.getUsernamesCount() > MAX_USERNAMES) {
        throw new IllegalArgumentException("usernames : " + request.getUsernamesCount()
            + " names (expected: at most " + MAX_USERNAMES + ")");
      }
      ResolveMentionsResponse.Builder response = ResolveMentionsResponse.newBuilder();
      if (request.getUsernamesCount() == 0) {
        return response.build(); // HMGET needs at least one field
      }
      List<String> usernames = request.getUsernamesList();
      List<String> ids = redis.hmget(RedisKeys.USER_IDS, usernames.toArray(String[]::new));
      for (int i = 0; i < usernames.size(); i++) {
        if (ids.get(i) != null) {
          response.addUserMentions(UserMention.newBuilder()
              .setUsername(usernames.get(i))
              .setUserId(Long.parseLong(ids.get(i))));
        }
      }
      return response.build();
    });
  }
}
