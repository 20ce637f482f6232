package io.boxer.deathstar.app;

import io.boxer.hostport.HostPort;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything one service needs to start, validated. Built from a config file's keys:
 * <ul>
 *   <li>{@code listen.host} — address to bind; default {@code 0.0.0.0}.
 *   <li>{@code listen.port} — port to bind, 0 for any free one; default the role's port.
 *   <li>{@code <role>.address} — {@code HOST:PORT} of each service this role calls (required for those). Addresses
 *       of other roles are checked and then ignored, so one rendered file fits every role.
 *   <li>{@code redis.address} — {@code HOST:PORT} of Redis; required for roles that store in Redis.
 *   <li>{@code redis.pool-size} — most Redis connections held; 1..256, default 16.
 *   <li>{@code rpc.deadline-ms} — deadline of each outgoing gRPC call; 1..600000, default 5000.
 *   <li>{@code http.threads} — frontend request threads; 1..512, default 32.
 *   <li>{@code machine.id} — unique-id's machine id, part of every id; 0..1023, default 0.
 *   <li>{@code graph.users} — users of the seeded social graph (social-graph seeds it); 2..1000000, default 300.
 *   <li>{@code peers.file} — optional: a peers file ({@code <id> <ip> <role>} lines) that the frontend follows
 *       to spread its calls over every instance of each role it calls, at the port of {@code <role>.address}
 *       ({@link PeersFileNameResolver}); other roles ignore it. Without it each role has the one address.
 *   <li>{@code capacity.concurrency}, {@code capacity.service-ms} — optional, both or neither: a modeled
 *       capacity for a gRPC service ({@link CapacityModel}: that many calls at once, each held that long);
 *       1..1024 and 1..60000. Without them calls are served as fast as the host can.
 *   <li>{@code served.file} — optional: where a gRPC service records when it first answered a call
 *       ({@link FirstServedRecorder}).
 * </ul>
 * Any other key is an error, so a typo cannot silently fall back to a default.
 *
 * @param redis empty for roles that do not use Redis
 * @param downstream exactly the roles in {@code role.downstream()}
 */
public record ServiceConfig(
    Role role,
    String listenHost,
    int listenPort,
    Map<Role, HostPort> downstream,
    Optional<HostPort> redis,
    int redisPoolSize,
    Duration rpcDeadline,
    int httpThreads,
    int machineId,
    int graphUsers,
    Optional<Path> peersFile,
    Optional<ModeledCapacity> capacity,
    Optional<Path> servedFile) {

  /** A modeled capacity ({@link CapacityModel}): {@code concurrency} calls at once, each held {@code serviceTime}. */
  public record ModeledCapacity(int concurrency, Duration serviceTime) {}

  public static final int DEFAULT_GRAPH_USERS = 300;

  public ServiceConfig {
    downstream = Map.copyOf(downstream);
  }

  /** The address of a downstream role; only roles in {@code role().downstream()} are present. */
  public HostPort address(Role callee) {
    HostPort address = downstream.get(callee);
    if (address == null) {
      throw new IllegalStateException(role + " does not call " + callee);
    }
    return address;
  }

  /**
   * Validates {@code values} (a config file's keys) for {@code role}.
   *
   * @throws ConfigException naming the first bad key, its value and what was expected
   */
  public static ServiceConfig from(Role role, Map<String, String> values) {
    Set<String> known = new LinkedHashSet<>(List.of(
        "listen.host", "listen.port", "redis.address", "redis.pool-size", "rpc.deadline-ms", "http.threads",
        "machine.id", "graph.users", "peers.file", "capacity.concurrency", "capacity.service-ms", "served.file"));
    for (Role r : Role.values()) {
      known.add(addressKey(r));
    }
    for (String key : values.keySet()) {
      if (!known.contains(key)) {
        throw new ConfigException("unknown config key " + key + " (expected one of: " + String.join(", ", known) + ")");
      }
    }
    for (Role r : Role.values()) {
      if (values.containsKey(addressKey(r))) {
        hostPort(values, addressKey(r), "an address given must be valid even if unused");
      }
    }
    if (values.containsKey("redis.address")) {
      hostPort(values, "redis.address", "an address given must be valid even if unused");
    }
    Map<Role, HostPort> downstream = new EnumMap<>(Role.class);
    for (Role callee : role.downstream()) {
      downstream.put(callee, hostPort(values, addressKey(callee),
          "the " + role + " service calls " + callee));
    }
    Optional<HostPort> redis = role.usesRedis()
        ? Optional.of(hostPort(values, "redis.address", "the " + role + " service stores its data in Redis"))
        : Optional.empty();
    String listenHost = values.getOrDefault("listen.host", "0.0.0.0");
    if (listenHost.isEmpty()) {
      throw new ConfigException("listen.host : '' (expected: an IP address or host name to bind, e.g. 0.0.0.0)");
    }
    return new ServiceConfig(
        role,
        listenHost,
        intValue(values, "listen.port", role.defaultPort(), 0, 65535),
        downstream,
        redis,
        intValue(values, "redis.pool-size", 16, 1, 256),
        Duration.ofMillis(intValue(values, "rpc.deadline-ms", 5000, 1, 600_000)),
        intValue(values, "http.threads", 32, 1, 512),
        intValue(values, "machine.id", 0, 0, SnowflakeIds.MAX_MACHINE_ID),
        intValue(values, "graph.users", DEFAULT_GRAPH_USERS, 2, 1_000_000),
        path(values, "peers.file", "a peers file"),
        capacity(values),
        path(values, "served.file", "a file to record the first served call in"));
  }

  private static Optional<ModeledCapacity> capacity(Map<String, String> values) {
    boolean concurrency = values.containsKey("capacity.concurrency");
    if (concurrency != values.containsKey("capacity.service-ms")) {
      throw new ConfigException((concurrency ? "capacity.service-ms" : "capacity.concurrency")
          + " : missing (expected: capacity.concurrency and capacity.service-ms together, or neither)");
    }
    if (!concurrency) {
      return Optional.empty();
    }
    return Optional.of(new ModeledCapacity(intValue(values, "capacity.concurrency", 0, 1, 1024),
        Duration.ofMillis(intValue(values, "capacity.service-ms", 0, 1, 60_000))));
  }

  /** The key holding {@code role}'s address: {@code <role>.address}. */
  public static String addressKey(Role role) {
    return role.configName() + ".address";
  }

  private static HostPort hostPort(Map<String, String> values, String key, String why) {
    String value = values.get(key);
    if (value == null || value.isEmpty()) {
      throw new ConfigException(key + " : missing (expected: HOST:PORT; " + why + ")");
    }
    try {
      return HostPort.parse(key, value);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  private static Optional<Path> path(Map<String, String> values, String key, String what) {
    String value = values.get(key);
    if (value == null) {
      return Optional.empty();
    }
    if (value.isEmpty()) {
      throw new ConfigException(key + " : '' (expected: the path of " + what + ", or no " + key + " key)");
    }
    return Optional.of(Path.of(value));
  }

  private static int intValue(Map<String, String> values, String key, int defaultValue, int min, int max) {
    String value = values.get(key);
    if (value == null) {
      return defaultValue;
    }
    String expected = " (expected: an integer in " + min + ".." + max + ")";
    int parsed;
    try {
      parsed = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new ConfigException(key + " : '" + value + "'" + expected);
    }
    if (parsed < min || parsed > max) {
      throw new ConfigException(key + " : " + parsed + expected);
    }
    return parsed;
  }
}
