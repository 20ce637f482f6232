package io.boxer.deathstar.app;

import io.boxer.deathstar.proto.Post;
import io.boxer.deathstar.proto.PostStorageServiceGrpc;
import io.boxer.deathstar.proto.ReadPostsRequest;
import io.boxer.deathstar.proto.ReadPostsResponse;
import io.boxer.deathstar.proto.StorePostRequest;
import io.boxer.deathstar.proto.StorePostResponse;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import redis.clients.jedis.UnifiedJedis;

/** post-storage: each post as serialized protobuf under {@code post:<id>}; batch reads with one MGET. */
final class PostStorageServiceImpl extends PostStorageServiceGrpc.PostStorageServiceImplBase {
  static final int MAX_BATCH = 1000;

  private final UnifiedJedis redis;

  /** @param redis not owned */
  PostStorageServiceImpl(UnifiedJedis redis) {
    this.redis = redis;
  }

  @Override
  public void storePost(StorePostRequest request, StreamObserver<StorePostResponse> observer) {
    UnaryCalls.reply(Role.POST_STORAGE, observer, () -> {
      Post post = request.getPost();
      if (post.getPostId() <= 0) {
        throw new IllegalArgumentException("post.post_id : " + post.getPostId() + " (expected: > 0)");
      }
      redis.set(RedisKeys.post(post.getPostId()), post.toByteArray());
      return StorePostResponse.getDefaultInstance();
    });
  }

  @Override
  public void readPosts(ReadPostsRequest request, StreamObserver<ReadPostsResponse> observer) {
    UnaryCalls.reply(Role.POST_STORAGE, observer, () -> {
      int count = request.getPostIdsCount();
      if (count > MAX_BATCH) {
        throw new IllegalArgumentException("post_ids : " + count + " ids (expected: at most " + MAX_BATCH + ")");
      }
      ReadPostsResponse.Builder response = ReadPostsResponse.newBuilder();
      if (count == 0) {
        return response.build(); // MGET needs at least one key
      }
      byte[][] keys = new byte[count][];
      for (int i = 0; i < count; i++) {
        keys[i] = RedisKeys.post(request.getPostIds(i));
      }
      List<byte[]> values = redis.mget(keys);
      List<Long> missing = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        if (values.get(i) == null) {
          missing.add(request.getPostIds(i));
        } else {
          response.addPosts(Post.parseFrom(values.get(i)));
        }
      }
      if (!missing.isEmpty()) {
        throw Status.NOT_FOUND.withDescription("posts not stored: " + missing).asRuntimeException();
      }
      return response.build();
    });
  }
}
