package io.boxer.deathstar.app;

import io.boxer.hostport.HostPort;
import java.time.Duration;
import redis.clients.jedis.ConnectionPoolConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.RedisClient;
import redis.clients.jedis.exceptions.JedisException;

/**
 * Opens the Redis client of a service: Jedis's {@link RedisClient} (its maintained successor of JedisPool) over a
 * bounded connection pool. The client is thread-safe; the caller owns it and closes it.
 */
public final class RedisConnections {
  private static final int TIMEOUT_MILLIS = 5_000;

  private RedisConnections() {}

  /**
   * A client for {@code address} holding at most {@code poolSize} connections. Connects lazily; a caller that
   * waits for more than {@code poolSize} concurrent commands blocks up to the timeout for a free connection.
   */
  public static RedisClient open(HostPort address, int poolSize, String clientName) {
    ConnectionPoolConfig pool = new ConnectionPoolConfig();
    pool.setMaxTotal(poolSize);
    pool.setMaxIdle(poolSize);
    pool.setMaxWait(Duration.ofMillis(TIMEOUT_MILLIS));
    pool.setBlockWhenExhausted(true);
    return RedisClient.builder()
        .hostAndPort(address.host(), address.port())
        .clientConfig(DefaultJedisClientConfig.builder()
            .connectionTimeoutMillis(TIMEOUT_MILLIS)
            .socketTimeoutMillis(TIMEOUT_MILLIS)
            .clientName(clientName)
            .build())
        .poolConfig(pool)
        .build();
  }

  /**
   * Pings until Redis answers, so a service fails at start, with a clear message, rather than on its first request.
   *
   * @throws IllegalStateException naming the address if Redis did not answer within {@code patience}
   */
  public static void awaitReachable(RedisClient redis, HostPort address, Duration patience)
      throws InterruptedException {
    long deadline = System.nanoTime() + patience.toNanos();
    JedisException last;
    do {
      try {
        redis.ping();
        return;
      } catch (JedisException e) {
        last = e;
      }
      Thread.sleep(250);
    } while (System.nanoTime() < deadline);
    throw new IllegalStateException("cannot reach Redis at " + address + " within " + patience.toSeconds()
        + " s: " + last.getMessage() + " (check redis.address and that redis-server runs)");
  }
}
