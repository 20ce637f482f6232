package io.boxer.lambda;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.boxer.control.FunctionRunLimits;
import io.boxer.control.Roles;
import io.boxer.control.tls.JoinToken;
import io.boxer.hostport.HostPort;
import io.boxer.node.NodeConfig;
import io.boxer.proto.function.v1.FunctionRun;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One invocation's event, validated: a {@link FunctionRun} in the proto3 JSON mapping (unknown fields are
 * errors, so a misspelled field is not silently ignored). Every message names the field, the value (never the
 * token's) and what was expected.
 */
record RunRequest(InetSocketAddress seed, JoinToken token, int members, String role, List<String> command,
    Map<String, String> environment, Duration barrierTimeout) {

  /** Lambda's own limit for a synchronous invocation's payload. */
  static final int MAX_EVENT_BYTES = 6 * 1024 * 1024;
  static final int MAX_MEMBERS = FunctionRunLimits.MAX_MEMBERS;
  static final Duration DEFAULT_BARRIER_TIMEOUT = Duration.ofSeconds(120);
  static final Duration MAX_BARRIER_TIMEOUT = Duration.ofSeconds(FunctionRunLimits.MAX_BARRIER_TIMEOUT_SECONDS);

  /**
   * Reads and validates an event.
   *
   * @param functionToken the function's BOXER_TOKEN environment variable (may be null), used when the event
   *     carries no token
   * @throws IllegalArgumentException what is wrong with the event
   */
  static RunRequest parse(InputStream event, String functionToken) throws IOException {
    byte[] bytes = event.readNBytes(MAX_EVENT_BYTES + 1);
    if (bytes.length > MAX_EVENT_BYTES) {
      throw new IllegalArgumentException("event : more than " + MAX_EVENT_BYTES + " bytes (expected: Lambda's limit)");
    }
    FunctionRun.Builder run = FunctionRun.newBuilder();
    try {
      JsonFormat.parser().merge(new String(bytes, StandardCharsets.UTF_8), run);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalArgumentException("event : not a FunctionRun (" + e.getMessage() + ")");
    }
    return of(run.build(), functionToken);
  }

  static RunRequest of(FunctionRun run, String functionToken) {
    if (run.getSeed().isEmpty()) {
      throw new IllegalArgumentException("seed : missing (expected: HOST:PORT of the seed)");
    }
    InetSocketAddress seed = HostPort.parse("seed", run.getSeed()).unresolved();
    String tokenText = !run.getToken().isEmpty() ? run.getToken() : functionToken;
    if (tokenText == null || tokenText.isBlank()) {
      throw new IllegalArgumentException("token : missing (expected: the join token in the event, or in the "
          + "function's BOXER_TOKEN environment variable)");
    }
    JoinToken token;
    try {
      token = JoinToken.parse(tokenText.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("token : " + e.getMessage());
    }
    long members = Integer.toUnsignedLong(run.getMembers()); // uint32 on the wire
    if (members > MAX_MEMBERS) {
      throw new IllegalArgumentException("members : " + members + " (expected: 0..." + MAX_MEMBERS + ")");
    }
    String role = run.getRole().isEmpty() ? Roles.DEFAULT : Roles.validate("role", run.getRole());
    if (run.getCommandCount() == 0 || run.getCommand(0).isEmpty()) {
      throw new IllegalArgumentException("command : missing (expected: the program and its arguments, "
          + "e.g. [\"java\", \"-jar\", \"/opt/app/app.jar\"])");
    }
    for (Map.Entry<String, String> e : run.getEnvironmentMap().entrySet()) {
      if (!FunctionRunLimits.isEnvironmentName(e.getKey())) {
        throw new IllegalArgumentException("environment : '" + e.getKey() + "' (expected: a variable name, "
            + "letters, digits and _)");
      }
      if (e.getKey().startsWith(FunctionRunLimits.RESERVED_PREFIX)) {
        throw new IllegalArgumentException("environment : '" + e.getKey() + "' (expected: no BOXER_ variable; "
            + "Boxer sets those)");
      }
    }
    long barrierSeconds = Integer.toUnsignedLong(run.getBarrierTimeoutSeconds());
    Duration barrierTimeout = barrierSeconds == 0 ? DEFAULT_BARRIER_TIMEOUT : Duration.ofSeconds(barrierSeconds);
    if (barrierTimeout.compareTo(MAX_BARRIER_TIMEOUT) > 0) {
      throw new IllegalArgumentException("barrierTimeoutSeconds : " + barrierSeconds
          + " (expected: 0..." + MAX_BARRIER_TIMEOUT.toSeconds() + ")");
    }
    return new RunRequest(seed, token, (int) members, role, List.copyOf(run.getCommandList()),
        Map.copyOf(run.getEnvironmentMap()), barrierTimeout);
  }

  /** The node's configuration: joins through the seed with the token, as a member of this role. */
  NodeConfig nodeConfig() {
    return NodeConfig.forSeed(seed, token).withRole(role).withJoinAttempts(6, Duration.ofMillis(250));
  }

  @Override
  public String toString() { // never the token
    return "RunRequest[seed=" + seed.getHostString() + ":" + seed.getPort() + ", members=" + members + ", role=" + role + ", command=" + command + "]";
  }
}
