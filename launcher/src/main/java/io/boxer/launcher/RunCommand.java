package io.boxer.launcher;

import io.boxer.control.Roles;
import io.boxer.control.tls.ClusterTrust;
import io.boxer.control.tls.JoinToken;
import io.boxer.control.tls.TokenInput;
import io.boxer.node.BoxerNode;
import io.boxer.node.JoinException;
import io.boxer.node.NodeConfig;
import io.boxer.node.membership.Peer;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code boxer run}: join the cluster, wait for the member barrier, run the command with the agent. */
@Command(
    name = "run",
    description = {
        "Joins the cluster through the seed, waits until --members nodes are meshed, then runs COMMAND with",
        "the Boxer agent attached (JAVA_TOOL_OPTIONS) and BOXER_NODE_ID, BOXER_NODE_ADDRESS, BOXER_PEERS_FILE,",
        "BOXER_AGENT_SOCKET in its environment. Exits with COMMAND's exit code. Members may join and leave",
        "at any time: the peers file is rewritten (atomically) on each change, and --on-change runs."},
    mixinStandardHelpOptions = true,
    showDefaultValues = true)
public final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-s", "--seed"}, paramLabel = "HOST:PORT", converter = HostPortConverter.class,
      defaultValue = "${env:BOXER_SEED}", description = "The seed's address (env BOXER_SEED).")
  InetSocketAddress seed;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:BOXER_TOKEN}",
      description = "The cluster's join token (env BOXER_TOKEN), as `boxer seed` generated it. Prefer "
          + "BOXER_TOKEN or --token-file: other users can read a command line. Never passed to COMMAND.")
  String token;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "Read the join token from FILE (mode 0600), e.g. the seed's token file.")
  Path tokenFile;

  @Option(names = "--role", paramLabel = "ROLE", defaultValue = "${env:BOXER_ROLE:-member}",
      description = "This member's role, as the seed's connection policy names roles (env BOXER_ROLE).")
  String role;

  @Option(names = "--ca-cert", paramLabel = "FILE",
      description = "Trust this CA certificate (PEM) instead of the CA derived from the token: for a seed "
          + "started with --ca-cert/--ca-key.")
  Path caCert;

  @Option(names = {"-n", "--members"}, paramLabel = "N",
      description = "Wait until N nodes started with `boxer run` (this one included) are meshed. "
          + "Omitted: start at once.")
  Integer members;

  @Option(names = "--barrier-timeout", paramLabel = "SECONDS", defaultValue = "120",
      description = "Give up waiting for the members after this long.")
  int barrierTimeoutSeconds;

  @Option(names = "--control-port", paramLabel = "PORT", defaultValue = "0",
      description = "Local port of this node's control connections; 0 picks a free one.")
  int controlPort;

  @Option(names = "--ready-file", paramLabel = "PATH",
      description = "Once past the barrier, just before the command starts, write this node's id, address, role "
          + "and the members it knows to PATH as JSON (atomically), and again after each membership change; "
          + "removed when boxer exits.")
  Path readyFile;

  @Option(names = "--on-change", paramLabel = "CMD",
      description = "After each membership change while COMMAND runs (the peers file and ready file already "
          + "rewritten), run CMD with sh -c: one run at a time, a burst of changes in one run, with COMMAND's "
          + "environment plus BOXER_JOINED and BOXER_LEFT (peers-file lines) and BOXER_MEMBERS (the count). "
          + "Its failure is logged, never fatal.")
  String onChange;

  @Option(names = "--on-change-timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "Kill an --on-change run (and what it started) still running after this long.")
  int onChangeTimeoutSeconds;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Serve this node's Prometheus metrics at http://HOST:PORT/metrics (primes asked for and "
          + "served, their latency, members, joins and leaves). Omitted: no metrics endpoint.")
  Integer metricsPort;

  @Option(names = "--join-attempts", paramLabel = "N", defaultValue = "6",
      description = "Attempts to reach the seed, with exponential backoff from 250 ms.")
  int joinAttempts;

  @Option(names = "--agent", paramLabel = "JAR", defaultValue = "${env:BOXER_AGENT_JAR}",
      description = "The Boxer agent jar (env BOXER_AGENT_JAR; bin/boxer sets it).")
  Path agentJar;

  @Option(names = "--agent-flag", paramLabel = "FORM", defaultValue = "${env:BOXER_AGENT_FLAG:-javaagent}",
      description = "How the command's JVMs load the agent (env BOXER_AGENT_FLAG): javaagent (-javaagent:JAR, "
          + "works in every JVM) or agentlib (-agentlib:instrument=JAR: the same agent, ~60 ms of wall time and "
          + "~90 ms of CPU faster per JVM start, because the JVM keeps CDS's archived module graph; but a JVM "
          + "whose modules lack java.instrument aborts: `java -m` apps that do not require it, javac, jcmd).")
  String agentFlagName;

  @Option(names = "--class-data-archive", paramLabel = "FILE", defaultValue = "${env:BOXER_CLASS_DATA_ARCHIVE}",
      description = "A class-data-sharing archive for the command's JVMs (env BOXER_CLASS_DATA_ARCHIVE), passed as "
          + "-XX:SharedArchiveFile: the JDK's classes and the agent's, so that a JVM with the agent starts faster "
          + "(tens of ms; on JDK 24+ it also keeps the archived module graph under -javaagent). Write it once per "
          + "JDK with that JDK's java: java -cp boxer-agent.jar io.boxer.agent.PrepareClassDataArchive FILE. A JVM "
          + "of another build cannot use it and starts without CDS (JDK 24+ says so on stderr): use it when the "
          + "command's JVMs are that JDK's. When COMMAND is a java, boxer checks that it can map the archive.")
  String classDataArchiveName;

  /** Set by {@link #validate}. */
  private AgentLoading agentLoading;

  @Parameters(arity = "1..*", paramLabel = "COMMAND", description = "The command to run, e.g. -- java -jar app.jar")
  List<String> command;

  @Override
  public Integer call() throws Exception {
    NodeConfig config = validate();
    PrintWriter err = spec.commandLine().getErr();
    ChildSupervisor supervisor;
    try {
      supervisor = ChildSupervisor.start(Thread.currentThread(), System.getenv("PATH"),
          Path.of(System.getProperty("java.io.tmpdir")));
    } catch (RequiredPrograms.MissingProgramException e) {
      err.println("boxer: " + e.getMessage());
      err.flush();
      return 2;
    }
    Path workDir = supervisor.workDir();
    MetricsEndpoint metrics;
    try {
      metrics = MetricsEndpoint.start(metricsPort);
    } catch (java.io.IOException e) {
      supervisor.close();
      err.println("boxer: " + e.getMessage());
      err.flush();
      return 1;
    }
    try (supervisor; ReadyFile.Cleanup readyCleanup = ReadyFile.cleanup(readyFile); metrics;
        BoxerNode node = new BoxerNode(config.withAgentSocket(workDir.resolve("agent.sock")), metrics.registry())) {
      try {
        node.start();
        if (members != null && !awaitMembers(node, err)) {
          return 1;
        }
      } catch (JoinException e) {
        err.println("boxer: " + e.getMessage());
        err.flush();
        return 1;
      } catch (InterruptedException e) {
        if (supervisor.stoppedBy().isEmpty()) {
          throw e;
        }
        return stoppedBeforeCommand(supervisor.stoppedBy().get(), err);
      }
      Optional<ForwardedSignal> stopped = supervisor.beginCommand();
      if (stopped.isPresent()) {
        return stoppedBeforeCommand(stopped.get(), err);
      }
      PeersFile peers = new PeersFile(workDir.resolve("peers"));
      Peer self = node.self();
      node.fatal().thenAccept(supervisor::stopCommand);
      Map<String, String> env = CommandEnvironment.of(self, peers, workDir.resolve("agent.sock"), agentLoading);
      List<Peer> first = node.members();
      ChangeHook hook = onChange == null ? null : new ChangeHook(
          new HookCommand(supervisor.shell(), onChange, Duration.ofSeconds(onChangeTimeoutSeconds)), first, env);
      try (MembershipPublisher publisher = new MembershipPublisher(peers, readyFile, self, members, hook)) {
        try {
          publisher.publishFirst(first);
        } catch (java.io.IOException e) {
          err.println("boxer: cannot write the member list for the command: " + e.getMessage());
          err.flush();
          return 1;
        }
        node.addMembershipListener(publisher::publish);
        ChildSupervisor.CommandExit exit = supervisor.runCommand(command, env);
        err.println("boxer: " + exit.reason());
        err.flush();
        return exit.exitCode();
      }
    }
  }

  private NodeConfig validate() {
    if (seed == null) {
      throw new ParameterException(spec.commandLine(), "Missing required option: '--seed=HOST:PORT' (or set BOXER_SEED)");
    }
    if (members != null && members < 1) {
      throw new ParameterException(spec.commandLine(), "--members : " + members + " (expected: >= 1)");
    }
    if (barrierTimeoutSeconds < 1) {
      throw new ParameterException(spec.commandLine(), "--barrier-timeout : " + barrierTimeoutSeconds + " (expected: >= 1)");
    }
    if (metricsPort != null && (metricsPort < 1 || metricsPort > 65535)) {
      throw new ParameterException(spec.commandLine(), "--metrics-port : " + metricsPort + " (expected: 1..65535)");
    }
    asUsageError(() -> NodeConfig.checkControlPort("--control-port", controlPort));
    if (onChange != null && onChange.isBlank()) {
      throw new ParameterException(spec.commandLine(), "--on-change : '" + onChange + "' (expected: a shell command)");
    }
    if (onChangeTimeoutSeconds < 1 || onChangeTimeoutSeconds > 3600) {
      throw new ParameterException(spec.commandLine(), "--on-change-timeout : " + onChangeTimeoutSeconds
          + " (expected: 1..3600)");
    }
    asUsageError(() -> NodeConfig.checkJoinAttempts("--join-attempts", joinAttempts));
    try {
      agentJar = AgentJar.check("--agent", agentJar);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage() + " (or set BOXER_AGENT_JAR)");
    }
    try {
      Path archive = ClassDataArchive.check("--class-data-archive", classDataArchiveName);
      if (archive != null) {
        ClassDataArchive.checkUsableBy("--class-data-archive", archive, command, System.getenv("PATH"));
      }
      agentLoading = new AgentLoading(agentJar, AgentFlag.parse("--agent-flag", agentFlagName), archive);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (readyFile != null) {
      if (!ReadyFile.isWritablePath(readyFile)) {
        throw new ParameterException(spec.commandLine(), "--ready-file : " + readyFile
            + " (expected: a file path in an existing directory)");
      }
    }
    JoinToken joinToken;
    try {
      String tokenText = TokenInput.resolve(token, tokenFile);
      joinToken = tokenText == null ? null : JoinToken.parse(tokenText);
      Roles.validate("--role", role);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (joinToken == null) {
      throw new ParameterException(spec.commandLine(), "Missing join token: set BOXER_TOKEN or pass --token-file FILE "
          + "(`boxer seed` generated the token and wrote it to its token file)");
    }
    NodeConfig config = NodeConfig.forSeed(seed, joinToken)
        .withRole(role)
        .withControlPort(controlPort)
        .withJoinAttempts(joinAttempts, Duration.ofMillis(250));
    if (caCert != null) {
      try {
        config = config.withTrust(ClusterTrust.fromFile(caCert));
      } catch (java.io.IOException | IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), "--ca-cert : " + caCert + " (" + e.getMessage() + ")");
      }
    }
    return config;
  }

  /** Runs a check that the node's config shares (it names the option), its failure a usage error. */
  private void asUsageError(Runnable check) {
    try {
      check.run();
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private boolean awaitMembers(BoxerNode node, PrintWriter err) throws InterruptedException {
    boolean ready = node.awaitMesh(members, Duration.ofSeconds(barrierTimeoutSeconds), count -> {
      err.println(count < members ? "waiting for members " + count + "/" + members : "members ready " + count + "/" + members);
      err.flush();
    });
    if (!ready) {
      err.println("boxer: only " + node.readyMembers() + " of " + members + " members meshed after "
          + barrierTimeoutSeconds + " s; giving up");
      err.flush();
    }
    return ready;
  }

  /**
   * A signal stopped boxer before the command ran: says so, and clears the interrupt so that it does not cut
   * the goodbye to the cluster short.
   */
  private static int stoppedBeforeCommand(ForwardedSignal signal, PrintWriter err) {
    Thread.interrupted();
    err.println("boxer: stopped by " + signal.fullName() + " before the command ran");
    err.flush();
    return signal.exitCode();
  }
}
