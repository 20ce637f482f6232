package io.boxer.deathstar.app;

import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The services of the social network: each runs as its own JVM, on its own default port (all distinct, so every
 * role can also share one host). The call graph is DeathStarBench's, simplified:
 * <pre>
 * frontend (HTTP) ─┬─ compose-post ─┬─ unique-id
 *                  │                ├─ text ── url-shorten (+ user-mention) ── Redis
 *                  │                ├─ post-storage ── Redis
 *                  │                ├─ user-timeline ── post-storage, Redis
 *                  │                └─ home-timeline ── social-graph, post-storage, Redis
 *                  ├─ user-timeline
 *                  ├─ home-timeline
 *                  └─ social-graph ── Redis
 * </pre>
 * The ports here must match the table in {@code bin/start-service} (a test checks).
 */
public enum Role {
  FRONTEND("frontend", 8080, false),
  COMPOSE_POST("compose-post", 9001, false),
  TEXT("text", 9002, false),
  URL_SHORTEN("url-shorten", 9003, true),
  UNIQUE_ID("unique-id", 9004, false),
  POST_STORAGE("post-storage", 9005, true),
  USER_TIMELINE("user-timeline", 9006, true),
  SOCIAL_GRAPH("social-graph", 9007, true),
  HOME_TIMELINE("home-timeline", 9008, true);

  private final String configName;
  private final int defaultPort;
  private final boolean usesRedis;

  Role(String configName, int defaultPort, boolean usesRedis) {
    this.configName = configName;
    this.defaultPort = defaultPort;
    this.usesRedis = usesRedis;
  }

  /** The name used on the command line, in config keys ({@code text.address}) and as the member's role in the peers file. */
  public String configName() {
    return configName;
  }

  /** The port the service listens on unless its config says otherwise. */
  public int defaultPort() {
    return defaultPort;
  }

  /** Whether the service keeps state in Redis (and so needs {@code redis.address}). */
  public boolean usesRedis() {
    return usesRedis;
  }

  /** The services this one calls, each of which needs a {@code <role>.address} in its config. */
  public Set<Role> downstream() {
    return switch (this) {
      case FRONTEND -> EnumSet.of(COMPOSE_POST, USER_TIMELINE, HOME_TIMELINE, SOCIAL_GRAPH);
      case COMPOSE_POST -> EnumSet.of(UNIQUE_ID, TEXT, POST_STORAGE, USER_TIMELINE, HOME_TIMELINE);
      case TEXT -> EnumSet.of(URL_SHORTEN);
      case USER_TIMELINE -> EnumSet.of(POST_STORAGE);
      case HOME_TIMELINE -> EnumSet.of(SOCIAL_GRAPH, POST_STORAGE);
      case URL_SHORTEN, UNIQUE_ID, POST_STORAGE, SOCIAL_GRAPH -> EnumSet.noneOf(Role.class);
    };
  }

  /**
   * The role named {@code name} (its {@link #configName()}).
   *
   * @throws IllegalArgumentException naming the accepted roles
   */
  public static Role fromConfigName(String name) {
    for (Role role : values()) {
      if (role.configName.equals(name)) {
        return role;
      }
    }
    throw new IllegalArgumentException("unknown role '" + name + "' (expected one of: " + names() + ")");
  }

  /** All role names, comma-separated, in declaration order. */
  public static String names() {
    return Arrays.stream(values()).map(Role::configName).collect(Collectors.joining(", "));
  }

  @Override
  public String toString() {
    return configName;
  }
}
