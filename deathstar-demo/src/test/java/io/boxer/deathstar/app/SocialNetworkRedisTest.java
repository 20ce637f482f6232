package io.boxer.deathstar.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.deathstar.load.FrontendClient;
import io.boxer.deathstar.load.FrontendRequests;
import io.boxer.deathstar.load.LoadRun;
import io.boxer.deathstar.load.LoadSpec;
import io.boxer.deathstar.load.RateResult;
import io.boxer.deathstar.load.Verifier;
import io.boxer.deathstar.load.Workload;
import io.boxer.hostport.HostPort;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.RedisClient;

/**
 * The whole social network in this JVM, each service on its own loopback port, over a real redis-server started
 * here with persistence off. Runs only with {@code -Ddeathstar.redis.test=true} (the {@code redis} tag is excluded
 * otherwise); then a missing redis-server fails the test with a message, never skips it.
 */
@Tag("redis")
class SocialNetworkRedisTest {
  private static final int USERS = 30;
  /** Dependencies before dependents, so each service's downstream ports are known when it starts. */
  private static final List<Role> START_ORDER = List.of(Role.UNIQUE_ID, Role.URL_SHORTEN, Role.POST_STORAGE,
      Role.SOCIAL_GRAPH, Role.TEXT, Role.USER_TIMELINE, Role.HOME_TIMELINE, Role.COMPOSE_POST, Role.FRONTEND);

  private static Process redis;
  private static HostPort redisAddress;
  private static final Map<Role, ServiceHost> hosts = new EnumMap<>(Role.class);
  private static URI frontend;
  private static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @BeforeAll
  static void startRedisAndServices() throws Exception {
    Path redisServer = findOnPath("redis-server");
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    redisAddress = new HostPort("127.0.0.1", port);
    redis = new ProcessBuilder(redisServer.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
        "--save", "", "--appendonly", "no")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start();
    try (RedisClient client = RedisConnections.open(redisAddress, 1, "test")) {
      RedisConnections.awaitReachable(client, redisAddress, Duration.ofSeconds(10));
    }
    for (Role role : START_ORDER) {
      Map<String, String> values = new HashMap<>();
      values.put("listen.host", "127.0.0.1");
      values.put("listen.port", "0");
      values.put("redis.address", redisAddress.toString());
      values.put("graph.users", Integer.toString(USERS));
      values.put("redis.pool-size", "4");
      values.put("http.threads", "4");
      for (Role callee : role.downstream()) {
        values.put(ServiceConfig.addressKey(callee), "127.0.0.1:" + hosts.get(callee).port());
      }
      hosts.put(role, ServiceHost.start(ServiceConfig.from(role, values)));
    }
    frontend = URI.create("http://127.0.0.1:" + hosts.get(Role.FRONTEND).port());
  }

  @AfterAll
  static void stopAll() throws Exception {
    List<Role> reverse = new ArrayList<>(START_ORDER);
    java.util.Collections.reverse(reverse);
    for (Role role : reverse) {
      ServiceHost host = hosts.remove(role);
      if (host != null) {
        host.close();
      }
    }
    if (redis != null) {
      redis.destroy();
      redis.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void verifier_passesEveryCheck() throws Exception {
    FrontendClient client = new FrontendClient(http, new FrontendRequests(frontend, Duration.ofSeconds(5)));

    assertThat(new Verifier(client, USERS).verify()).hasSize(6);
  }

  @Test
  void loadRun_mix_allAnswersPassTheirChecks() throws Exception {
    LoadSpec spec = LoadSpec.of("test", frontend, Workload.MIX, List.of(40.0))
        .withTiming(Duration.ofMillis(500), Duration.ofSeconds(2))
        .withUsers(USERS)
        .withConnections(8, 1000);

    List<RateResult> results = LoadRun.run(spec);

    assertThat(results).singleElement().satisfies(r -> {
      assertThat(r.errors()).as("errors, first: %s", r.firstError()).isZero();
      assertThat(r.successes()).isGreaterThan(40);
      assertThat(r.corrected().p50Ms()).isPositive();
    });
  }

  @Test
  void graphSeeder_isIdempotent_andRefusesAnotherSize() {
    try (RedisClient client = RedisConnections.open(redisAddress, 1, "test")) {
      GraphSeeder seeder = new GraphSeeder(client);

      assertThat(seeder.seed(new FollowerGraph(USERS))).isFalse();
      assertThatThrownBy(() -> seeder.seed(new FollowerGraph(USERS + 1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageStartingWith("Redis already holds a seeded graph of 30 users, not 31");
    }
  }

  @Test
  void frontend_badParameter_is400_unknownUser_is404() throws Exception {
    HttpResponse<String> bad = http.send(HttpRequest.newBuilder(
        frontend.resolve("/wrk2-api/user-timeline/read?user_id=x")).build(), HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> unknown = http.send(HttpRequest.newBuilder(frontend.resolve("/wrk2-api/user/follow"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("user_id=1&followee_id=" + (USERS + 5))).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(bad.body()).isEqualTo("{\"error\":\"user_id : 'x' (expected: an integer)\"}");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("unknown user 35");
  }

  private static Path findOnPath(String name) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, name);
      if (Files.isExecutable(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(name + " is not on PATH; install it (Debian: apt-get install -y redis-server) or"
        + " run the tests without -Ddeathstar.redis.test=true");
  }
}
