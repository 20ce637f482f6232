package io.boxer.launcher;

import com.google.gson.Gson;
import io.boxer.control.tls.ClusterCa;
import io.boxer.control.tls.JoinToken;
import io.boxer.control.tls.TokenInput;
import io.boxer.proto.v1.ConnectionPolicy;
import io.boxer.seed.PolicyFile;
import io.boxer.seed.SeedConfig;
import io.boxer.seed.VirtualRange;
import io.boxer.seed.SeedServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code boxer seed}: run the rendezvous on a routable host until stopped. */
@Command(
    name = "seed",
    description = {
        "Runs the seed: admits nodes that hold the join token, reflects each node's external address, assigns",
        "ids, certifies members (it is the cluster's CA), gives a second node behind a member's external address",
        "a virtual one (--virtual-range), streams membership, removes silent members and relays connections",
        "that have no direct path. TLS only. Runs until SIGTERM/SIGINT.",
        "Without --token or BOXER_TOKEN it uses the token in --token-file, generating one there (mode 0600) on",
        "first start and printing it once."},
    mixinStandardHelpOptions = true,
    showDefaultValues = true)
public final class SeedCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = {"-p", "--port"}, paramLabel = "PORT", defaultValue = "7946", description = "TCP port to listen on.")
  int port;

  @Option(names = "--relay-port", paramLabel = "PORT",
      description = "TCP port of the relay, on the --bind address: members with no direct path to each other (strict"
          + " or port-randomizing NATs) connect through it (default: --port + 1). 0: no relay.")
  Integer relayPort;

  @Option(names = "--virtual-range", paramLabel = "CIDR|none", defaultValue = "100.64.0.0/10",
      description = "IPv4 block (/8../30) of virtual addresses for members behind an external address that another"
          + " member already has (several functions behind one NAT): each gets one, its peers reach it there"
          + " through the relay (default: ${DEFAULT-VALUE}). none: refuse all but the first member behind one"
          + " address.")
  String virtualRange;

  @Option(names = "--bind", paramLabel = "ADDR", defaultValue = "0.0.0.0", description = "Local address to listen on.")
  String bind;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:BOXER_TOKEN}",
      description = "The cluster's join token (env BOXER_TOKEN), at least 24 printable characters.")
  String token;

  @Option(names = "--token-file", paramLabel = "FILE",
      defaultValue = "${env:BOXER_TOKEN_FILE:-${sys:user.home}/.boxer/seed-token}",
      description = "Where the token lives when --token is not given (env BOXER_TOKEN_FILE): read if it "
          + "exists, else generated there.")
  Path tokenFile;

  @Option(names = "--ca-cert", paramLabel = "FILE",
      description = "Certify members with this CA (PEM certificate) instead of the one derived from the token; "
          + "nodes then need --ca-cert too.")
  Path caCert;

  @Option(names = "--ca-key", paramLabel = "FILE", description = "The private key (PEM) of --ca-cert.")
  Path caKey;

  @Option(names = "--policy", paramLabel = "FILE",
      description = "Connection policy: lines 'FROM-ROLE -> TO-ROLE [: PORTS]'. Without it members may "
          + "connect to every port of every member.")
  Path policy;

  @Option(names = "--cert-ttl", paramLabel = "DURATION", defaultValue = "1h", converter = DurationConverter.class,
      description = "Lifetime of member certificates (30s..30d); members renew at half-life.")
  Duration certTtl;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Serve the seed's Prometheus metrics at http://BIND:PORT/metrics, on the --bind address (members, "
          + "joins, leaves, refused joins by reason, certificates issued, link reports). Omitted: no metrics endpoint.")
  Integer metricsPort;

  @Option(names = "--ready-file", paramLabel = "PATH",
      description = "Once the seed listens, write {\"address\": BIND, \"port\": PORT, \"relayPort\": RELAY} to PATH as JSON (atomically), for "
          + "scripts that wait for it; removed again when the seed stops.")
  Path readyFile;

  @Override
  public Integer call() throws Exception {
    SeedConfig config = validate();
    PrintWriter err = spec.commandLine().getErr();
    MetricsEndpoint metrics;
    try {
      metrics = MetricsEndpoint.start(config.bind().getAddress(), metricsPort);
    } catch (IOException e) {
      err.println("boxer: " + e.getMessage());
      err.flush();
      return 1;
    }
    SeedServer seed = new SeedServer(config, metrics.registry()).start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        seed.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      metrics.close();
      if (readyFile != null) {
        try {
          Files.deleteIfExists(readyFile);
        } catch (IOException e) {
          // the seed is stopping; a stale ready file names a seed that is gone, which its readers notice
        }
      }
    }, "boxer-seed-shutdown"));
    err.println("boxer seed listening on " + config.bind().getAddress().getHostAddress() + ":" + seed.port()
        + (seed.relayPort() == 0 ? " (no relay)" : ", relay on port " + seed.relayPort()));
    err.flush();
    if (readyFile != null) {
      AtomicFiles.writeString(readyFile, new Gson().toJson(
          new Ready(config.bind().getAddress().getHostAddress(), seed.port(), seed.relayPort())) + "\n");
    }
    seed.awaitTermination();
    return 0;
  }

  /** The ready file's document; relayPort 0: no relay. */
  private record Ready(String address, int port, int relayPort) {}

  private SeedConfig validate() throws IOException {
    if (readyFile != null) {
      if (!ReadyFile.isWritablePath(readyFile)) {
        throw new ParameterException(spec.commandLine(), "--ready-file : " + readyFile
            + " (expected: a file path in an existing directory)");
      }
      Files.deleteIfExists(readyFile); // an earlier seed's: it must not pass for this one
    }
    if (port < 1 || port > 65535) {
      throw new ParameterException(spec.commandLine(), "--port : " + port + " (expected: 1..65535)");
    }
    if (relayPort != null && (relayPort < 0 || relayPort > 65535 || relayPort == port)) {
      throw new ParameterException(spec.commandLine(), "--relay-port : " + relayPort + " (expected: 1..65535 other"
          + " than --port, or 0 for no relay)");
    }
    if (metricsPort != null && (metricsPort < 1 || metricsPort > 65535)) {
      throw new ParameterException(spec.commandLine(), "--metrics-port : " + metricsPort + " (expected: 1..65535)");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (java.net.UnknownHostException e) {
      throw new ParameterException(spec.commandLine(), "--bind : " + bind + " (expected: a local ip address)");
    }
    if (certTtl.compareTo(SeedConfig.MIN_CERT_TTL) < 0 || certTtl.compareTo(SeedConfig.MAX_CERT_TTL) > 0) {
      throw new ParameterException(spec.commandLine(), "--cert-ttl : " + certTtl.toSeconds()
          + " s (expected: 30 s to 30 d, e.g. 1h)");
    }
    if ((caCert == null) != (caKey == null)) {
      throw new ParameterException(spec.commandLine(), "--ca-cert and --ca-key : only one given (expected: both or neither)");
    }
    try {
      SeedConfig config = SeedConfig.of(new InetSocketAddress(address, port), joinToken()).withCertTtl(certTtl)
          .withRelayPort(relayPort == null ? SeedConfig.defaultRelayPort(port)
              : relayPort == 0 ? SeedConfig.NO_RELAY : relayPort)
          .withVirtualRange(virtualRange());
      if (caCert != null) {
        config = config.withCa(ClusterCa.load(caCert, caKey));
      }
      if (policy != null) {
        ConnectionPolicy rules = PolicyFile.read(policy);
        config = config.withPolicy(rules);
      }
      return config;
    } catch (IllegalArgumentException | java.nio.file.NoSuchFileException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
  }

  private VirtualRange virtualRange() {
    if (virtualRange.equals("none")) {
      return null;
    }
    try {
      return VirtualRange.parse(virtualRange);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--virtual-range : " + e.getMessage() + "; or none");
    }
  }

  /** The token given, else the token file's, else a new one written to the token file and printed once. */
  private JoinToken joinToken() throws IOException {
    if (token != null && !token.isEmpty()) {
      return JoinToken.parse(token.strip());
    }
    if (Files.exists(tokenFile)) {
      return JoinToken.parse(TokenInput.read(tokenFile));
    }
    String generated = JoinToken.generate(new SecureRandom());
    Path dir = tokenFile.toAbsolutePath().getParent();
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }
    Files.writeString(Files.createFile(tokenFile,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
        generated + "\n", StandardOpenOption.WRITE);
    PrintWriter err = spec.commandLine().getErr();
    // printed once, here and now; it is never logged
    err.println("boxer seed: generated a join token and wrote it to " + tokenFile.toAbsolutePath() + " (mode 0600).");
    err.println("boxer seed: nodes join with BOXER_TOKEN=" + generated);
    err.flush();
    return JoinToken.parse(generated);
  }
}
