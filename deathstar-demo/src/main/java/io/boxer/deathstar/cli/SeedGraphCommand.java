package io.boxer.deathstar.cli;

import io.boxer.deathstar.app.FollowerGraph;
import io.boxer.deathstar.app.GraphSeeder;
import io.boxer.hostport.HostPort;
import io.boxer.deathstar.app.RedisConnections;
import io.boxer.deathstar.app.ServiceConfig;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import redis.clients.jedis.RedisClient;

/**
 * {@code seed-graph}: loads the follower graph into Redis by hand. The social-graph service does the same at start,
 * so this is only needed to prepare Redis ahead of time or to check it.
 */
@Command(
    name = "seed-graph",
    description = {
        "Loads the seeded social graph into Redis.",
        "Users user_0..user_N-1, each following 10 others drawn deterministically. Idempotent; the social-graph "
            + "service does it at start too."},
    mixinStandardHelpOptions = true,
    showDefaultValues = true)
final class SeedGraphCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--redis", paramLabel = "HOST:PORT", converter = HostPortConverter.class,
      defaultValue = "${env:DEATHSTAR_REDIS}", description = "Redis's address (env DEATHSTAR_REDIS).")
  HostPort redis;

  @Option(names = "--users", paramLabel = "N", defaultValue = "" + ServiceConfig.DEFAULT_GRAPH_USERS,
      description = "Users in the graph; 2..1000000.")
  int users;

  @Override
  public Integer call() throws Exception {
    if (redis == null) {
      throw new ParameterException(spec.commandLine(), "--redis : missing (expected: HOST:PORT, or set DEATHSTAR_REDIS)");
    }
    if (users < 2 || users > 1_000_000) {
      throw new ParameterException(spec.commandLine(), "--users : " + users + " (expected: 2..1000000)");
    }
    PrintWriter out = spec.commandLine().getOut();
    try (RedisClient client = RedisConnections.open(redis, 2, "deathstar-seed-graph")) {
      RedisConnections.awaitReachable(client, redis, Duration.ofSeconds(10));
      boolean wrote = new GraphSeeder(client).seed(new FollowerGraph(users));
      out.println(wrote ? "seeded " + users + " users into " + redis : redis + " already holds the graph of "
          + users + " users");
    }
    return 0;
  }
}
