package io.boxer.deathstar.cli;

import io.boxer.deathstar.app.ConfigFile;
import io.boxer.deathstar.app.Role;
import io.boxer.deathstar.app.ServiceConfig;
import io.boxer.deathstar.app.ServiceHost;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code service ROLE --config FILE}: runs one service until SIGTERM. Prints {@code <role> listening on <port>} on
 * stdout once it serves (orchestrators wait for that line).
 */
@Command(
    name = "service",
    description = {
        "Runs one service of the social network until SIGTERM.",
        "Prints '<role> listening on <port>' on stdout when ready.",
        "Roles: frontend, compose-post, text, url-shorten, unique-id, post-storage, user-timeline, social-graph, "
            + "home-timeline.",
        "Config keys: listen.host, listen.port, <role>.address (each service the role calls), redis.address, "
            + "redis.pool-size, rpc.deadline-ms, http.threads, machine.id, graph.users."},
    mixinStandardHelpOptions = true,
    showDefaultValues = true)
final class ServiceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(index = "0", paramLabel = "ROLE", converter = RoleConverter.class, description = "The service to run.")
  Role role;

  @Option(names = "--config", required = true, paramLabel = "FILE",
      description = "key=value config file, as bin/start-service renders it.")
  Path config;

  @Override
  public Integer call() throws Exception {
    ServiceConfig validated = ServiceConfig.from(role, ConfigFile.read(config));
    ServiceHost host = ServiceHost.start(validated);
    // the only shutdown hook: SIGTERM closes the service, which releases awaitClosed below
    Runtime.getRuntime().addShutdownHook(new Thread(host::close, "deathstar-shutdown"));
    PrintWriter out = spec.commandLine().getOut();
    out.println(role + " listening on " + host.port());
    out.flush();
    host.awaitClosed();
    return 0;
  }
}
