package io.boxer.deathstar.app;

/**
 * The Redis key layout, in one place. Every service that shares a key uses these names.
 * <ul>
 *   <li>{@code user:ids} — hash: username → user id (read by user-mention).
 *   <li>{@code user:names} — hash: user id → username (read by social-graph to check users exist).
 *   <li>{@code graph:followers:<id>}, {@code graph:followees:<id>} — sets of user ids.
 *   <li>{@code graph:seeded-users} — the user count of the seeded graph, written last by {@link GraphSeeder}.
 *   <li>{@code url:<short url>} — the expanded URL.
 *   <li>{@code post:<id>} — the post, as serialized protobuf bytes.
 *   <li>{@code timeline:user:<id>}, {@code timeline:home:<id>} — sorted sets of post ids, score = timestamp ms.
 * </ul>
 */
public final class RedisKeys {
  public static final String USER_IDS = "user:ids";
  public static final String USER_NAMES = "user:names";
  public static final String SEEDED_USERS = "graph:seeded-users";

  private RedisKeys() {}

  public static String followers(long userId) {
    return "graph:followers:" + userId;
  }

  public static String followees(long userId) {
    return "graph:followees:" + userId;
  }

  public static String shortUrl(String shortUrl) {
    return "url:" + shortUrl;
  }

  public static byte[] post(long postId) {
    return ("post:" + postId).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  public static String userTimeline(long userId) {
    return "timeline:user:" + userId;
  }

  public static String homeTimeline(long userId) {
    return "timeline:home:" + userId;
  }
}
