package io.boxer.deathstar.cli;

import com.google.gson.Gson;
import io.boxer.deathstar.app.ConfigFile;
import io.boxer.deathstar.app.Role;
import io.boxer.deathstar.app.ServiceConfig;
import io.boxer.deathstar.app.ServiceHost;
import io.boxer.deathstar.app.WholeFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code service ROLE --config FILE [--ready-file PATH]}: runs one service until SIGTERM. Once it serves it prints
 * {@code <role> listening on <port>} on stdout, for people, and writes the ready file, for orchestrators (data,
 * never log text, between programs).
 */
@Command(
    name = "service",
    description = {
        "Runs one service of the social network until SIGTERM.",
        "Prints '<role> listening on <port>' on stdout when ready, and writes --ready-file if given.",
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

  @Option(names = "--ready-file", paramLabel = "PATH",
      description = "Once the service serves, write {\"role\": ROLE, \"port\": PORT} to PATH as JSON (whole, by "
          + "rename), for orchestrators that wait for it.")
  Path readyFile;

  /** The ready file's document. */
  record Ready(String role, int port) {}

  @Override
  public Integer call() throws Exception {
    ServiceConfig validated = ServiceConfig.from(role, ConfigFile.read(config));
    ServiceHost host = ServiceHost.start(validated);
    // the only shutdown hook: SIGTERM closes the service, which releases awaitClosed below
    Runtime.getRuntime().addShutdownHook(new Thread(host::close, "deathstar-shutdown"));
    PrintWriter out = spec.commandLine().getOut();
    out.println(role + " listening on " + host.port());
    out.flush();
    if (readyFile != null) {
      WholeFiles.write(readyFile, new Gson().toJson(new Ready(role.configName(), host.port())) + "\n");
    }
    host.awaitClosed();
    return 0;
  }
}
