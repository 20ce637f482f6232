package io.boxer.invoker;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.boxer.control.FunctionRunLimits;
import io.boxer.control.Roles;
import io.boxer.control.tls.TokenInput;
import io.boxer.hostport.HostPort;
import io.boxer.proto.function.v1.FunctionRun;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.regions.Region;

/** {@code boxer invoke}: start N Boxer Lambda functions at once, each running COMMAND as a member of the cluster. */
@Command(
    name = "invoke",
    description = {
        "Invokes the Boxer Lambda function --function, --count times at once, each with the same event: join the "
            + "cluster through --seed, wait until --members are meshed, run COMMAND (the function's `boxer run`).",
        "Waits until every function has ended and prints one line each (--json: one JSON object each), in invocation "
            + "order; --async only queues the events.",
        "AWS credentials and region come from the SDK's default chains (environment, profile, instance or container "
            + "role); the caller needs lambda:InvokeFunction on the function."},
    mixinStandardHelpOptions = true,
    showDefaultValues = true,
    exitCodeListHeading = "Exit codes:%n",
    exitCodeList = {
        "0:every function's command exited 0 (--async: every event was accepted)",
        "1:a function's command exited non-zero, a function failed (function error), or Lambda refused an invocation",
        "2:usage or configuration error; nothing was invoked"})
public final class InvokeCommand implements Callable<Integer> {
  /** The largest cluster Boxer serves (see MAX_MEMBERS); also within Lambda's default concurrency quota of 1000. */
  static final int MAX_COUNT = 500;
  static final int MAX_BARRIER_TIMEOUT_SECONDS = FunctionRunLimits.MAX_BARRIER_TIMEOUT_SECONDS;
  static final int MAX_MEMBERS = FunctionRunLimits.MAX_MEMBERS;

  @Spec CommandSpec spec;

  @Option(names = {"-f", "--function"}, required = true, paramLabel = "NAME",
      description = "The Boxer Lambda function: its name, ARN or partial ARN, optionally with :VERSION or :ALIAS.")
  String function;

  @Option(names = {"-c", "--count"}, required = true, paramLabel = "N", showDefaultValue = Visibility.NEVER,
      description = "How many functions to start at once (1.." + MAX_COUNT + ").")
  int count;

  @Option(names = {"-s", "--seed"}, required = true, paramLabel = "HOST:PORT",
      description = "The seed's address as the functions reach it, e.g. the seed instance's public IP and port.")
  String seed;

  @Option(names = {"-n", "--members"}, paramLabel = "M",
      description = "Each function waits until M members (itself included) are meshed before COMMAND starts. "
          + "Omitted: --count.")
  Integer members;

  @Option(names = "--role", paramLabel = "ROLE",
      description = "The functions' role, as the seed's connection policy names roles. Omitted: member.")
  String role;

  @Option(names = "--token", paramLabel = "TOKEN",
      description = "The cluster's join token, sent in every event. Prefer --token-file: other users can read a "
          + "command line. Neither given: the events carry no token and each function uses its own BOXER_TOKEN "
          + "environment variable (which keeps the token out of invocation payloads).")
  String token;

  @Option(names = "--token-file", paramLabel = "FILE",
      description = "Read the join token to send from FILE (mode 0600), e.g. the seed's token file.")
  Path tokenFile;

  @Option(names = {"-e", "--env"}, paramLabel = "NAME=VALUE", showDefaultValue = Visibility.NEVER,
      description = "An environment variable for COMMAND, on top of the function's own (repeatable).")
  List<String> env = List.of();

  @Option(names = "--barrier-timeout", paramLabel = "SECONDS",
      description = "Each function gives up waiting for the members after this long (1.." + MAX_BARRIER_TIMEOUT_SECONDS
          + "). Omitted: the function's default, 120.")
  Integer barrierTimeoutSeconds;

  @Option(names = "--async",
      description = "Invocation type Event: Lambda queues the events and answers at once; prints each request id.")
  boolean async;

  @Option(names = "--endpoint", paramLabel = "URL",
      description = "The Lambda API endpoint, e.g. http://localhost:4566 for LocalStack. Omitted: the region's.")
  String endpoint;

  @Option(names = "--region", paramLabel = "REGION",
      description = "The function's AWS region. Omitted: the SDK's default chain (AWS_REGION, the profile, ...).")
  String region;

  @Option(names = "--json", description = "Print one JSON object per function instead of a line of text.")
  boolean json;

  @Parameters(arity = "1..*", paramLabel = "COMMAND",
      description = "The command each function runs, e.g. -- java -jar /opt/app/my-service.jar")
  List<String> command;

  @Override
  public Integer call() throws InterruptedException {
    InvokeMode mode = async ? InvokeMode.EVENT : InvokeMode.REQUEST_RESPONSE;
    byte[] payload;
    URI endpointUri;
    Region awsRegion;
    try {
      LambdaNames.validateFunction(function);
      if (count < 1 || count > MAX_COUNT) {
        throw new IllegalArgumentException("--count : " + count + " (expected: 1.." + MAX_COUNT + ")");
      }
      payload = JsonFormat.printer().omittingInsignificantWhitespace().print(event()).getBytes(StandardCharsets.UTF_8);
      mode.checkPayloadSize(payload.length);
      endpointUri = endpoint == null ? null : endpointUri(endpoint);
      awsRegion = LambdaConnection.region(region == null ? null : LambdaNames.validateRegion(region));
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage());
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a FunctionRun has no JSON form", e);
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    err.println("boxer: invoking " + count + " x " + function + " (" + mode.invocationType() + ")"
        + (async ? "" : "; waiting until every function has ended"));
    err.flush();
    List<FunctionOutcome> outcomes;
    try (LambdaConnection lambda = LambdaConnection.open(awsRegion, endpointUri, count)) {
      outcomes = new ParallelInvoker(lambda.client()).invokeAll(function, count, payload, mode);
    }
    for (FunctionOutcome outcome : outcomes) {
      out.println(json ? OutcomeReport.jsonLine(outcome) : OutcomeReport.textLine(outcome));
    }
    out.flush();
    int exitCode = OutcomeReport.exitCode(outcomes);
    if (exitCode != 0) {
      long failed = outcomes.stream().filter(outcome -> !outcome.succeeded()).count();
      err.println("boxer: " + failed + " of " + count + " functions failed");
      err.flush();
    }
    return exitCode;
  }

  /** The event every function gets, from the flags; validates them. */
  private FunctionRun event() {
    HostPort.parse("--seed", seed);
    FunctionRun.Builder event = FunctionRun.newBuilder().setSeed(seed).addAllCommand(command);
    if (members != null && (members < 1 || members > MAX_MEMBERS)) {
      throw new IllegalArgumentException("--members : " + members + " (expected: 1.." + MAX_MEMBERS + ")");
    }
    event.setMembers(members == null ? count : members);
    if (role != null) {
      event.setRole(Roles.validate("--role", role));
    }
    String joinToken = TokenInput.resolve(token, tokenFile);
    if (joinToken != null) {
      event.setToken(joinToken);
    }
    for (String variable : env) {
      int equals = variable.indexOf('=');
      String name = equals < 0 ? variable : variable.substring(0, equals);
      if (equals < 0 || !FunctionRunLimits.isEnvironmentName(name)) {
        throw new IllegalArgumentException("--env : '" + name + "' (expected: NAME=VALUE, NAME of 1..256 A-Z a-z "
            + "0-9 _, not starting with a digit)");
      }
      if (name.startsWith(FunctionRunLimits.RESERVED_PREFIX)) {
        throw new IllegalArgumentException("--env : " + name + " (expected: no BOXER_ variable; Boxer sets those, "
            + "and the token goes with --token-file or the function's own BOXER_TOKEN)");
      }
      String value = variable.substring(equals + 1);
      if (value.indexOf('\0') >= 0) {
        throw new IllegalArgumentException("--env : " + name + " has a NUL character (expected: none)");
      }
      if (event.containsEnvironment(name)) {
        throw new IllegalArgumentException("--env : " + name + " given twice (expected: once)");
      }
      event.putEnvironment(name, value);
    }
    if (barrierTimeoutSeconds != null) {
      if (barrierTimeoutSeconds < 1 || barrierTimeoutSeconds > MAX_BARRIER_TIMEOUT_SECONDS) {
        throw new IllegalArgumentException("--barrier-timeout : " + barrierTimeoutSeconds + " (expected: 1.."
            + MAX_BARRIER_TIMEOUT_SECONDS + ", the functions' 15-minute limit)");
      }
      event.setBarrierTimeoutSeconds(barrierTimeoutSeconds);
    }
    return event.build();
  }

  private static URI endpointUri(String value) {
    String expected = " (expected: an http or https URL without path, query or credentials, e.g. http://localhost:4566)";
    URI uri;
    try {
      uri = new URI(value);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--endpoint : '" + value + "'" + expected);
    }
    boolean web = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
    boolean bare = (uri.getRawPath() == null || uri.getRawPath().isEmpty() || uri.getRawPath().equals("/"))
        && uri.getRawQuery() == null && uri.getRawFragment() == null && uri.getRawUserInfo() == null;
    if (!web || uri.getHost() == null || !bare) {
      throw new IllegalArgumentException("--endpoint : '" + value + "'" + expected);
    }
    return uri;
  }
}
