package io.boxer.launcher;

import io.boxer.control.tls.ClusterTrust;
import io.boxer.control.tls.JoinToken;
import io.boxer.control.tls.TokenInput;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code boxer status}: the cluster as the local node sees it, or as the seed sees it. */
@Command(
    name = "status",
    description = {
        "Shows the cluster. Without --seed, as the local node sees it: run it where",
        "`boxer run` runs (in its command, which has BOXER_AGENT_SOCKET), or pass",
        "--node PATH. It lists this node, then per member: id, role, external",
        "address, when it joined and was last heard, and this node's control link to",
        "it: up or down, round-trip time, path, and the primes this node served it",
        "(primed/refused/failed). With --seed HOST:PORT and the join token: every",
        "member as the seed sees it, with the links each member last reported."},
    footer = {
        "",
        "--json prints one document:",
        "  {\"view\": \"node\"|\"seed\", \"at\",",
        "   \"self\": {\"id\", \"role\", \"address\", \"controlPort\", \"joinedAt\",",
        "            \"answersRst\", \"virtualAddress\"},  (node view)",
        "   \"members\": [{\"id\", \"role\", \"address\", \"controlPort\", \"joinedAt\",",
        "                \"answersRst\" (its host answers stray SYNs with RST),",
        "                \"virtualAddress\" (the seed gave it its address: it shares",
        "                its NAT's address with another member; reached via the relay),",
        "                \"lastSeenMsAgo\", \"reportAgeMs\" (seed view),",
        "                \"links\": [{\"peer\", \"state\": \"up\"|\"down\", \"rttMs\", \"srttMs\",",
        "                           \"path\", \"primes\": {\"served\", \"refused\", \"failed\"}}]}]}",
        "Times are ISO-8601; an absent field is unknown. In the node view each member",
        "has one link, the node's own to it."},
    mixinStandardHelpOptions = true,
    showDefaultValues = true)
public final class StatusCommand implements Callable<Integer> {
  /** How long the node or the seed may take to answer. */
  static final Duration DEADLINE = Duration.ofSeconds(5);

  @Spec CommandSpec spec;

  @Option(names = "--node", paramLabel = "PATH", defaultValue = "${env:BOXER_AGENT_SOCKET}",
      description = "The local node's agent socket (env BOXER_AGENT_SOCKET, which `boxer run` gives its command).")
  Path node;

  @Option(names = {"-s", "--seed"}, paramLabel = "HOST:PORT", converter = HostPortConverter.class,
      description = "Ask the seed instead of the local node (needs the join token).")
  InetSocketAddress seed;

  @Option(names = "--token", paramLabel = "TOKEN", defaultValue = "${env:BOXER_TOKEN}",
      description = "With --seed: the cluster's join token (env BOXER_TOKEN). Prefer BOXER_TOKEN or --token-file.")
  String token;

  @Option(names = "--token-file", paramLabel = "FILE", description = "With --seed: read the join token from FILE (mode 0600).")
  Path tokenFile;

  @Option(names = "--ca-cert", paramLabel = "FILE",
      description = "With --seed: trust this CA certificate (PEM) instead of the one derived from the token.")
  Path caCert;

  @Option(names = "--json", description = "Print one JSON document (fields below) instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    StatusReport report;
    try {
      if (seed != null) {
        JoinToken joinToken = seedToken();
        report = StatusReport.fromSeed(SeedStatusClient.ask(seed, joinToken, trust(joinToken), DEADLINE));
      } else {
        report = StatusReport.fromNode(NodeStatusClient.ask(nodeSocket(), DEADLINE));
      }
    } catch (IOException e) {
      err.println("boxer: " + e.getMessage());
      err.flush();
      return 1;
    }
    out.print(json ? StatusFormat.json(report) : StatusFormat.table(report));
    out.flush();
    return 0;
  }

  private Path nodeSocket() {
    if (node == null) {
      throw new ParameterException(spec.commandLine(), "No node to ask: run `boxer status` where `boxer run` runs"
          + " (in its command, which has BOXER_AGENT_SOCKET), or pass --node PATH, or --seed HOST:PORT");
    }
    return node;
  }

  private JoinToken seedToken() {
    if (spec.commandLine().getParseResult().hasMatchedOption("--node")) {
      throw new ParameterException(spec.commandLine(), "--node and --seed : both given (expected: one of them)");
    }
    JoinToken joinToken;
    try {
      String tokenText = TokenInput.resolve(token, tokenFile);
      joinToken = tokenText == null ? null : JoinToken.parse(tokenText);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    }
    if (joinToken == null) {
      throw new ParameterException(spec.commandLine(), "Missing join token for --seed: set BOXER_TOKEN or pass"
          + " --token-file FILE");
    }
    return joinToken;
  }

  private ClusterTrust trust(JoinToken joinToken) {
    if (caCert == null) {
      return ClusterTrust.forToken(joinToken);
    }
    try {
      return ClusterTrust.fromFile(caCert);
    } catch (IOException | IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), "--ca-cert : " + caCert + " (" + e.getMessage() + ")");
    }
  }
}
