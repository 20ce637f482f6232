package io.boxer.deathstar.app;

import java.util.HashMap;
import java.util.Map;
import redis.clients.jedis.AbstractPipeline;
import redis.clients.jedis.UnifiedJedis;

/**
 * Loads a {@link FollowerGraph} and its usernames into Redis. The social-graph service runs it at start (and
 * {@code deathstar-demo.jar seed-graph} by hand), before it serves.
 *
 * <p>Idempotent: every write is a set or hash insert, so a repeated or concurrent seeding writes the same data. The
 * marker {@link RedisKeys#SEEDED_USERS} is written last and lets later starts skip the work; a marker with another
 * user count is an error, since two graphs would mix.
 */
public final class GraphSeeder {
  private static final int COMMANDS_PER_SYNC = 2_000;

  private final UnifiedJedis redis;

  /** @param redis not owned */
  public GraphSeeder(UnifiedJedis redis) {
    this.redis = redis;
  }

  /**
   * Seeds {@code graph} unless Redis already holds it.
   *
   * @return true if it wrote the graph, false if it was already there
   * @throws IllegalStateException if Redis holds a graph of another size
   */
  public boolean seed(FollowerGraph graph) {
    String seeded = redis.get(RedisKeys.SEEDED_USERS);
    if (seeded != null) {
      if (seeded.equals(Integer.toString(graph.users()))) {
        return false;
      }
      throw new IllegalStateException("Redis already holds a seeded graph of " + seeded + " users, not "
          + graph.users() + " (flush it with redis-cli FLUSHALL, or seed " + seeded + " users)");
    }
    try (AbstractPipeline pipeline = redis.pipelined()) {
      int pending = 0;
      Map<String, String> idsByName = new HashMap<>();
      Map<String, String> namesById = new HashMap<>();
      for (int user = 0; user < graph.users(); user++) {
        idsByName.put(FollowerGraph.username(user), Integer.toString(user));
        namesById.put(Integer.toString(user), FollowerGraph.username(user));
        for (int followee : graph.followees(user)) {
          pipeline.sadd(RedisKeys.followees(user), Integer.toString(followee));
          pipeline.sadd(RedisKeys.followers(followee), Integer.toString(user));
          pending += 2;
        }
        if (pending >= COMMANDS_PER_SYNC) {
          pipeline.sync();
          pending = 0;
        }
      }
      pipeline.hset(RedisKeys.USER_IDS, idsByName);
      pipeline.hset(RedisKeys.USER_NAMES, namesById);
      pipeline.sync();
    }
    redis.set(RedisKeys.SEEDED_USERS, Integer.toString(graph.users()));
    return true;
  }
}
