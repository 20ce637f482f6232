package io.boxer.invoker;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.util.JsonFormat;
import io.boxer.invoker.LambdaInvokeStandIn.Reply;
import io.boxer.invoker.LambdaInvokeStandIn.Request;
import io.boxer.proto.function.v1.FunctionRun;
import io.boxer.proto.function.v1.FunctionRunResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code boxer invoke} through the real AWS SDK client against {@link LambdaInvokeStandIn}, with static test
 * credentials given the way the SDK's default chains read them (system properties).
 */
class InvokeCommandTest {
  private static final String ACCESS_KEY = LambdaInvokeStandIn.ACCESS_KEY;
  private static final String TOKEN = "boxer_invoke-command-test-token-0123456789";
  private static final String FUNCTION = "boxer-node";
  private static final List<String> PROPERTIES = List.of("aws.accessKeyId", "aws.secretAccessKey", "aws.region");

  @TempDir Path dir;
  private final Map<String, String> savedProperties = new HashMap<>();
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private LambdaInvokeStandIn lambda;

  @BeforeEach
  void credentials() {
    PROPERTIES.forEach(name -> savedProperties.put(name, System.getProperty(name)));
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", LambdaInvokeStandIn.SECRET_KEY);
    System.setProperty("aws.region", "us-east-1");
  }

  @AfterEach
  void restore() {
    if (lambda != null) {
      lambda.close();
    }
    savedProperties.forEach((name, value) -> {
      if (value == null) {
        System.clearProperty(name);
      } else {
        System.setProperty(name, value);
      }
    });
  }

  private int invoke(String... args) {
    CommandLine cli = new CommandLine(new InvokeCommand());
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  /** {@code --function boxer-node --count N --seed ... --endpoint <stand-in>}, then {@code extra}. */
  private String[] args(int count, String... extra) {
    List<String> args = new ArrayList<>(List.of("--function", FUNCTION, "--count", Integer.toString(count),
        "--seed", "198.51.100.7:7946", "--endpoint", lambda.endpoint()));
    args.addAll(Arrays.asList(extra));
    return args.toArray(String[]::new);
  }

  private static FunctionRunResult result(long nodeId, int exitCode) {
    return FunctionRunResult.newBuilder()
        .setNodeId(nodeId)
        .setExternalAddress("203.0.113." + nodeId)
        .setExitCode(exitCode)
        .setReason("the command exited with " + exitCode)
        .setDurationMillis(1200)
        .build();
  }

  private static FunctionRun payload(Request request) throws Exception {
    FunctionRun.Builder run = FunctionRun.newBuilder();
    JsonFormat.parser().merge(request.bodyText(), run); // strict: an unknown field fails the test
    return run.build();
  }

  private List<String> outLines() {
    return out.toString().lines().toList();
  }

  @Test
  void invoke_sendsOneSignedRequestPerFunction_carryingTheEventTheFlagsDescribe() throws Exception {
    lambda = LambdaInvokeStandIn.start(Set.of(FUNCTION), (arrival, request) -> Reply.result(result(arrival + 1, 0)));
    Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    Files.setPosixFilePermissions(tokenFile, PosixFilePermissions.fromString("rw-------"));

    int exit = invoke(args(3, "--members", "4", "--role", "cache", "--token-file", tokenFile.toString(),
        "--env", "CACHE_SIZE=512", "--env", "JAVA_OPTS=-Xmx1g -Da=b=c", "--barrier-timeout", "60",
        "--", "java", "-jar", "/var/task/app/cache.jar"));

    assertThat(exit).as(err.toString()).isEqualTo(0);
    FunctionRun expected = FunctionRun.newBuilder()
        .setSeed("198.51.100.7:7946")
        .setToken(TOKEN)
        .setMembers(4)
        .setRole("cache")
        .addAllCommand(List.of("java", "-jar", "/var/task/app/cache.jar"))
        .putEnvironment("CACHE_SIZE", "512")
        .putEnvironment("JAVA_OPTS", "-Xmx1g -Da=b=c")
        .setBarrierTimeoutSeconds(60)
        .build();
    assertThat(lambda.requests()).hasSize(3).allSatisfy(request -> {
      assertThat(request.method()).isEqualTo("POST");
      assertThat(request.path()).isEqualTo("/2015-03-31/functions/" + FUNCTION + "/invocations");
      assertThat(request.header("X-Amz-Invocation-Type")).isEqualTo("RequestResponse");
      assertThat(request.header("Authorization"))
          .startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/")
          .contains("/us-east-1/lambda/aws4_request")
          .containsPattern("SignedHeaders=[^,]*host[^,]*x-amz-date")
          .containsPattern("Signature=[0-9a-f]{64}");
      assertThat(request.header("X-Amz-Date")).matches("\\d{8}T\\d{6}Z");
    });
    for (Request request : lambda.requests()) {
      assertThat(payload(request)).isEqualTo(expected);
    }
    assertThat(outLines()).hasSize(3).allSatisfy(line -> assertThat(line)
        .matches("function \\d: node \\d at 203\\.0\\.113\\.\\d, exit 0, deadline not reached: the command exited with 0"));
  }

  @Test
  void invoke_signedWithAnotherSecret_isRefusedByTheStandInsSignatureCheck() throws Exception {
    lambda = LambdaInvokeStandIn.start(Set.of(FUNCTION), (arrival, request) -> Reply.result(result(1, 0)));
    System.setProperty("aws.secretAccessKey", "not-the-secret-key");

    assertThat(invoke(args(1, "--", "true"))).isEqualTo(1);

    assertThat(out.toString()).contains("function 0: InvalidSignatureException: The request signature we calculated "
        + "does not match the signature you provided.");
  }

  @Test
  void invoke_ofAnAlias_encodesItInThePath_andSignsTheEncodedPath() throws Exception {
    lambda = LambdaInvokeStandIn.start(Set.of("boxer-node:live"), (arrival, request) -> Reply.result(result(1, 0)));

    assertThat(invoke("--function", "boxer-node:live", "--count", "1", "--seed", "198.51.100.7:7946",
        "--endpoint", lambda.endpoint(), "--", "true")).as(out.toString()).isEqualTo(0);

    assertThat(lambda.requests()).singleElement()
        .satisfies(request -> assertThat(request.path()).isEqualTo("/2015-03-31/functions/boxer-node%3Alive/invocations"));
  }

  @Test
  void invoke_withoutTokenOrMembers_sendsNoToken_andWaitsForCountMembers() throws Exception {
    lambda = LambdaInvokeStandIn.start(Set.of(FUNCTION), (arrival, request) -> Reply.result(result(arrival + 1, 0)));

    assertThat(invoke(args(2, "--", "true"))).as(err.toString()).isEqualTo(0);

    for (Request request : lambda.requests()) {
      assertThat(request.bodyText()).doesNotContain("token").doesNotContain("role");
      assertThat(payload(request)).isEqualTo(FunctionRun.newBuilder()
          .setSeed("198.51.100.7:7946").setMembers(2).addCommand("true").build());
    }
  }

  @Test
  void invoke_startsEveryFunctionAtOnce_beyondTheHttpClientsDefaultPool() throws Exception {
    int count = 60; // the SDK's Netty client allows 50 connections unless told otherwise
    CountDownLatch allArrived = new CountDownLatch(count);
    lambda = LambdaInvokeStandIn.start(Set.of(FUNCTION), (arrival, request) -> {
      allArrived.countDown();
      // a barrier, as the functions' own: nobody answers until every invocation is running
      if (!allArrived.await(5, TimeUnit.SECONDS)) {
        return Reply.apiError(500, "ServiceException", "only " + (count - allArrived.getCount()) + " arrived");
      }
      return Reply.result(result(arrival + 1, 0));
    });

    int exit = invoke(args(count, "--", "true"));

    assertThat(exit).as(out + "\n" + err).isEqualTo(0);
    assertThat(lambda.requests()).hasSize(count);
    List<String> lines = outLines();
    assertThat(lines).hasSize(count);
    for (int i = 0; i < count; i++) {
      assertThat(lines.get(i)).startsWith("function " + i + ": node ").contains(", exit 0,");
    }
  }

  @Test
  void invoke_whenOneCommandExitsNonZero_exitsOne_andShowsWhich() throws Exception {
    lambda = LambdaInvokeStandIn.start(Set.of(FUNCTION),
        (arrival, request) -> Reply.result(result(arrival + 1, arrival == 1 ? 3 : 0)));

    assertThat(invoke(args(3, "--", "true"))).isEqualTo(1);

    assertThat(outLines()).hasSize(3).filteredOn(line -> line.contains("exit 3")).hasSize(1);
    assertThat(err.toString()).contains("boxer: 1 of 3 functions failed");
  }

  @Test
  void invoke_reportsAFunctionError_withItsTypeAndMessage_andExitsOne() throws Exception {
    lambda = LambdaInvokeStandIn.start(Set.of(FUNCTION), (arrival, request) -> arrival == 0
        ? Reply.functionError("Unhandled", "Runtime.ExitError", "Runtime exited with error: exit status 1")
        : Reply.result(result(arrival + 1, 0)));

    assertThat(invoke(args(2, "--", "true"))).isEqualTo(1);

    assertThat(out.toString()).containsOnlyOnce(
        ": function error (Unhandled) Runtime.ExitError: Runtime exited with error: exit status 1");
    assertThat(out.toString()).containsOnlyOnce(", exit 0, ");
  }

  @Test
  void invoke_ofAMissingFunction_reportsResourceNotFound_andExitsOne() throws Exception {
    lambda = LambdaInvokeStandIn.start(Set.of("another-function"), (arrival, request) -> Reply.result(result(1, 0)));

    assertThat(invoke(args(2, "--", "true"))).isEqualTo(1);

    assertThat(outLines()).containsExactly(
        "function 0: ResourceNotFoundException: Function not found: arn:aws:lambda:us-east-1:123456789012:function:"
            + FUNCTION,
        "function 1: ResourceNotFoundException: Function not found: arn:aws:lambda:us-east-1:123456789012:function:"
            + FUNCTION);
    assertThat(err.toString()).contains("boxer: 2 of 2 functions failed");
  }

  @Test
  void invoke_whenThrottled_reportsIt_withoutRetrying() throws Exception {
    lambda = LambdaInvokeStandIn.start(Set.of(FUNCTION), (arrival, request) -> arrival == 0
        ? Reply.apiError(429, "TooManyRequestsException", "Rate Exceeded.")
        : Reply.result(result(arrival + 1, 0)));

    assertThat(invoke(args(2, "--", "true"))).isEqualTo(1);

    // a retry could start a third member: two invocations asked, two requests sent
    assertThat(lambda.requests()).hasSize(2);
    assertThat(out.toString()).containsOnlyOnce(": TooManyRequestsException: Rate Exceeded.");
  }

  @Test
  void invoke_async_queuesEvents_andPrintsEachRequestId() throws Exception {
    lambda = LambdaInvokeStandIn.start(Set.of(FUNCTION), (arrival, request) -> Reply.result(result(1, 0)));

    assertThat(invoke(args(3, "--async", "--", "true"))).as(err.toString()).isEqualTo(0);

    assertThat(lambda.requests()).hasSize(3)
        .allSatisfy(request -> assertThat(request.header("X-Amz-Invocation-Type")).isEqualTo("Event"));
    List<String> printedIds = outLines().stream()
        .map(line -> line.replaceFirst("^function \\d: accepted, request id ", ""))
        .toList();
    assertThat(printedIds).containsExactlyInAnyOrderElementsOf(lambda.requestIds());
  }

  @Test
  void invoke_json_printsOneParseableObjectPerFunction() throws Exception {
    lambda = LambdaInvokeStandIn.start(Set.of(FUNCTION), (arrival, request) -> arrival == 0
        ? Reply.functionError("Handled", "IllegalStateException", "no seed")
        : Reply.result(result(7, 0).toBuilder().setDeadlineReached(true).setOutputTail("bye\n").build()));

    assertThat(invoke(args(2, "--json", "--", "true"))).isEqualTo(1);

    List<JsonObject> lines = outLines().stream().map(line -> JsonParser.parseString(line).getAsJsonObject()).toList();
    assertThat(lines).hasSize(2);
    assertThat(lines).extracting(line -> line.get("index").getAsInt()).containsExactly(0, 1);
    JsonObject failed = lines.stream().filter(line -> line.has("functionError")).findFirst().orElseThrow();
    assertThat(failed.get("functionError").getAsString()).isEqualTo("Handled");
    assertThat(failed.get("errorType").getAsString()).isEqualTo("IllegalStateException");
    assertThat(failed.get("errorMessage").getAsString()).isEqualTo("no seed");
    JsonObject finished = lines.stream().filter(line -> line.has("exitCode")).findFirst().orElseThrow();
    finished.remove("index");
    FunctionRunResult.Builder parsed = FunctionRunResult.newBuilder();
    JsonFormat.parser().merge(finished.toString(), parsed);
    assertThat(parsed.build())
        .isEqualTo(result(7, 0).toBuilder().setDeadlineReached(true).setOutputTail("bye\n").build());
    assertThat(finished.get("exitCode").getAsInt()).isEqualTo(0); // present although it is the default
  }

  @Test
  void invoke_ofAnUnreachableEndpoint_reportsTheFunction_onOneLine_andExitsOne() throws Exception {
    lambda = LambdaInvokeStandIn.start(Set.of(FUNCTION), (arrival, request) -> Reply.result(result(1, 0)));
    String endpoint = lambda.endpoint();
    lambda.close();
    lambda = null;

    // one function: with several, the SDK's pool now and then holds an acquire until its timeout (LambdaConnection)
    int exit = invoke("--function", FUNCTION, "--count", "1", "--seed", "198.51.100.7:7946",
        "--endpoint", endpoint, "--", "true");

    assertThat(exit).isEqualTo(1);
    assertThat(outLines()).singleElement().asString()
        .startsWith("function 0: SdkClientException: Unable to execute HTTP request: Connection refused");
  }

  @Test
  void invoke_closesItsClientAndEventLoops() throws Exception {
    lambda = LambdaInvokeStandIn.start(Set.of(FUNCTION), (arrival, request) -> Reply.result(result(1, 0)));

    assertThat(invoke(args(4, "--", "true"))).isEqualTo(0);

    // closing the client shuts its event loops down; their threads end a moment later (Netty's graceful
    // shutdown runs on them), so the check waits a bounded time for that instead of racing it
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (sdkThreadsAlive() && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(Thread.getAllStackTraces().keySet()).filteredOn(Thread::isAlive)
        .extracting(Thread::getName)
        .noneMatch(InvokeCommandTest::isSdkThread);
  }

  private static boolean sdkThreadsAlive() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
        .anyMatch(InvokeCommandTest::isSdkThread);
  }

  private static boolean isSdkThread(String name) {
    return name.startsWith("aws-java-sdk-NettyEventLoop") || name.startsWith("sdk-async-response");
  }
}
