package io.boxer.deathstar.run;

import io.boxer.deathstar.app.Role;
import io.boxer.netlab.HostProcess;
import io.boxer.netlab.Lab;
import io.boxer.netlab.LabHost;
import io.boxer.netlab.LabSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * One deployment up and serving in its own NAT lab: Redis on its VM, the seed (for Boxer deployments), and every
 * service started through its start script ({@code deathstar-demo/bin/start-service}), under {@code boxer run}
 * or not, all at once: each runs as a member whose role is its service ({@code boxer run --role text}), and the
 * start scripts find each service by its role in the peers file, whatever order the nodes joined in. {@link
 * #close()} stops every process and tears the lab down (the lab's own shutdown hook does so on
 * Ctrl-C). Not thread-safe.
 */
public final class DeploymentRun implements AutoCloseable {
  public static final int REDIS_PORT = 6379;
  static final int SEED_PORT = 7946;
  private static final Duration START = Duration.ofSeconds(300);

  private final Deployment deployment;
  private final DemoSetup setup;
  private final Path logs;
  private final Consumer<String> progress;
  private final Lab lab;
  private final Extension extension;
  private final List<HostProcess> processes = new ArrayList<>();
  private Map<String, String> serviceEnv = Map.of(); // set once the seed is up

  /**
   * What the burst scenario adds to a deployment: spare hosts for more instances of one role, and environment
   * for every instance of that role ({@code start-service}'s modeled capacity).
   *
   * @param extraFunctions function hosts after the deployment's own
   * @param extraVms VM hosts after the deployment's own
   */
  record Extension(int extraFunctions, int extraVms, Optional<Role> scaledRole, Map<String, String> scaledRoleEnv) {
    static final Extension NONE = new Extension(0, 0, Optional.empty(), Map.of());

    Extension {
      scaledRoleEnv = Map.copyOf(scaledRoleEnv);
    }
  }

  private DeploymentRun(Deployment deployment, DemoSetup setup, Path logs, Consumer<String> progress, Lab lab,
      Extension extension) {
    this.deployment = deployment;
    this.setup = setup;
    this.logs = logs;
    this.progress = progress;
    this.lab = lab;
    this.extension = extension;
  }

  /**
   * Builds the lab and starts everything; returns once every service is listening.
   *
   * @param logs where every process's log goes (created)
   * @throws IOException when a program fails to start or to become ready (everything is torn down first)
   */
  public static DeploymentRun start(Deployment deployment, DemoSetup setup, Path logs, Consumer<String> progress)
      throws IOException, InterruptedException {
    return start(deployment, setup, logs, progress, Extension.NONE);
  }

  /** As above, with {@code extension}'s spare hosts in the lab and its environment for the scaled role. */
  static DeploymentRun start(Deployment deployment, DemoSetup setup, Path logs, Consumer<String> progress,
      Extension extension) throws IOException, InterruptedException {
    setup.check();
    Files.createDirectories(logs);
    LabSpec base = deployment.labSpec();
    Lab lab = Lab.create(new LabSpec(base.functions() + extension.extraFunctions(), base.vms() + extension.extraVms(),
        base.profile(), base.lossPercent(), base.natEstablishedTimeoutSeconds()));
    DeploymentRun run = new DeploymentRun(deployment, setup, logs, progress, lab, extension);
    try {
      run.startAll();
      return run;
    } catch (IOException | InterruptedException | RuntimeException e) {
      run.close();
      throw e;
    }
  }

  /** The frontend's base URL, as clients on the public segment reach it. */
  public String frontendUrl() {
    return "http://" + address(deployment.host(Role.FRONTEND)) + ":" + Role.FRONTEND.defaultPort();
  }

  /**
   * Runs {@code java -jar deathstar-demo.jar ARGS...} on the seed host (a routable client outside the
   * deployment) and waits for it, up to {@code timeout}; its output goes to {@code logs/NAME.log} and, line by
   * line as it comes, to the progress consumer when {@code echo} is set.
   *
   * @return the exit code
   */
  public int runClient(String name, List<String> args, Duration timeout, boolean echo)
      throws IOException, InterruptedException {
    try (HostProcess client = startClient(name, args)) {
      if (!echo) {
        return client.awaitExit(timeout);
      }
      return client.awaitExitEchoing(timeout, line -> progress.accept("  " + line));
    }
  }

  private void startAll() throws IOException, InterruptedException {
    progress.accept("lab " + lab.runId() + ": " + (deployment.labSpec().functions() + extension.extraFunctions())
        + " functions, " + (deployment.labSpec().vms() + extension.extraVms()) + " VMs (" + deployment.description()
        + ")");
    String redisHost = deployment.redisHost();
    lab.allowInboundTcp(redisHost, REDIS_PORT);
    // Redis writes its pid file once its port listens (after binding it, before serving): a file, not its log line
    Path redisPid = logs.resolve("redis.pid");
    HostProcess redis = start("redis", redisHost, Map.of(), List.of("redis-server", "--port",
        Integer.toString(REDIS_PORT), "--bind", "0.0.0.0", "--protected-mode", "no", "--save", "",
        "--appendonly", "no", "--daemonize", "no", "--pidfile", redisPid.toString()));
    redis.awaitFile(redisPid, START);
    progress.accept("redis-server on " + redisHost + " (" + address(redisHost) + ":" + REDIS_PORT + ")");

    // the public API: clients outside the deployment reach the frontend, Boxer or not
    lab.allowInboundTcp(deployment.host(Role.FRONTEND), Role.FRONTEND.defaultPort());
    Map<String, String> env = new LinkedHashMap<>();
    env.put("DEATHSTAR_REDIS", address(redisHost) + ":" + REDIS_PORT);
    env.put("DEATHSTAR_JAR", setup.jar().toString());
    env.put("PATH", setup.java().getParent() + ":" + System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    String seed = address("seed") + ":" + SEED_PORT;
    if (deployment.boxer()) {
      // one join token per deployment; nodes get it through the environment, never a command line
      env.put("BOXER_TOKEN", newJoinToken());
      Path seedReady = logs.resolve("seed.ready.json");
      HostProcess seedNode = start("seed", "seed", Map.of("BOXER_TOKEN", env.get("BOXER_TOKEN")),
          List.of(setup.boxer().toString(), "seed", "--port", Integer.toString(SEED_PORT), "--ready-file",
              seedReady.toString()));
      seedNode.awaitFile(seedReady, START);
      progress.accept("boxer seed on the seed host (" + seed + ")");
    } else {
      env.put("DEATHSTAR_PEERS_FILE", writePeersFile().toString());
      for (Role role : Deployment.roles()) {
        if (role != Role.FRONTEND) { // no Boxer: every service port is opened, as one would on EC2
          lab.allowInboundTcp(deployment.host(role), role.defaultPort());
        }
      }
    }

    serviceEnv = Map.copyOf(env);
    List<HostProcess> services = new ArrayList<>();
    for (Role role : Deployment.roles()) {
      services.add(startService(role.configName(), role, deployment.host(role)));
    }
    for (int i = 0; i < services.size(); i++) {
      Role role = Deployment.roles().get(i);
      services.get(i).awaitFile(readyFile(role.configName()), START);
    }
    progress.accept("all " + services.size() + " services listening; frontend at " + frontendUrl());
  }

  /**
   * Starts one instance of {@code role} on {@code host}, under {@code boxer run} with the deployment's {@code
   * --members} for a Boxer deployment (a member that joins after the barrier goes straight on), its log in
   * {@code logs/NAME.log}. Does not wait for it.
   */
  HostProcess startService(String name, Role role, String host) throws IOException {
    Map<String, String> env = new LinkedHashMap<>(serviceEnv);
    env.put("DEATHSTAR_WORK_DIR", logs.resolve(name).toString());
    env.put("DEATHSTAR_READY_FILE", readyFile(name).toString());
    if (extension.scaledRole().equals(Optional.of(role))) {
      env.putAll(extension.scaledRoleEnv());
      env.put("DEATHSTAR_SERVED_FILE", servedFile(name).toString());
    }
    List<String> command = new ArrayList<>();
    if (deployment.boxer()) {
      command.addAll(List.of(setup.boxer().toString(), "run", "--seed", address("seed") + ":" + SEED_PORT,
          "--role", role.configName(), "--members", Integer.toString(Deployment.MEMBERS), "--barrier-timeout",
          "300", "--"));
    }
    command.addAll(List.of(setup.startScript().toString(), role.configName()));
    HostProcess service = start(name, host, env, command);
    progress.accept(name + " starting on " + host + " (" + address(host) + ")"
        + (deployment.boxer() ? " under boxer run" : ""));
    return service;
  }

  /** Where the service instance {@code name} writes that it serves (start-service's DEATHSTAR_READY_FILE). */
  Path readyFile(String name) {
    return logs.resolve(name + ".ready.json");
  }

  /** Where the instance {@code name} of the scaled role records its first served call. */
  Path servedFile(String name) {
    return logs.resolve(name + ".served");
  }

  /**
   * Starts {@code java -jar deathstar-demo.jar ARGS...} on the seed host without waiting, its output in {@code
   * logs/NAME.log}; {@link #close()} stops it if it still runs.
   */
  HostProcess startClient(String name, List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of(setup.java().toString(), "-jar", setup.jar().toString()));
    command.addAll(args);
    return start(name, "seed", Map.of(), command);
  }

  /** A fresh join token with 256 random bits, in the format `boxer seed` generates. */
  private static String newJoinToken() {
    byte[] bits = new byte[32];
    new java.security.SecureRandom().nextBytes(bits);
    return "boxer_" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
  }

  /** For the deployment without Boxer: the peers file the start scripts read, in Boxer's format. */
  private Path writePeersFile() throws IOException {
    StringBuilder peers = new StringBuilder();
    List<Role> roles = Deployment.roles();
    for (int i = 0; i < roles.size(); i++) {
      peers.append(i + 1).append(' ').append(address(deployment.host(roles.get(i)))).append(' ')
          .append(roles.get(i).configName()).append('\n');
    }
    Path file = logs.resolve("peers.txt");
    Files.writeString(file, peers);
    return file;
  }

  private HostProcess start(String name, String host, Map<String, String> env, List<String> command)
      throws IOException {
    HostProcess p = HostProcess.start(name, lab.host(host), env, command, logs.resolve(name + ".log"));
    processes.add(p);
    return p;
  }

  /** A host's address on the public segment (its NAT's, for a function). */
  private String address(String host) {
    LabHost h = lab.host(host);
    return h.externalAddress().getHostAddress();
  }

  /** Stops the processes, newest first (services before the seed and Redis), then removes the lab. */
  @Override
  public void close() {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).terminate(); // all at once: each waits up to 10 s in close()
    }
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).close();
    }
    processes.clear();
    lab.close();
  }
}
