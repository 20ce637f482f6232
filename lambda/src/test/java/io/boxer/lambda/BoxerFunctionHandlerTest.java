package io.boxer.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import io.boxer.control.tls.JoinToken;
import io.boxer.proto.function.v1.FunctionRun;
import io.boxer.proto.function.v1.FunctionRunResult;
import io.boxer.seed.SeedConfig;
import io.boxer.seed.SeedServer;
import io.boxer.testing.FakeAgentJar;
import io.boxer.testing.lambda.LambdaEnvironment;
import io.boxer.testing.lambda.RuntimeApiStandIn;
import io.boxer.testing.lambda.RuntimeApiStandIn.Kind;
import io.boxer.testing.lambda.RuntimeApiStandIn.Outcome;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The handler run the way Lambda runs it: the real runtime interface client in a forked JVM polls the Runtime API
 * stand-in, and the handler joins a real seed on loopback. One runtime serves every test in turn, as a warm
 * execution environment serves invocations one after another; its PATH has no ip and no iptables.
 */
class BoxerFunctionHandlerTest {
  private static final String HANDLER = BoxerFunctionHandler.class.getName() + "::handleRequest";
  private static final Duration ANSWER = Duration.ofSeconds(60);
  @TempDir static Path dir;
  private static String token;
  private static SeedServer seed;
  private static RuntimeApiStandIn runtimeApi;
  private static Process runtime;

  @BeforeAll
  static void startFunction() throws Exception {
    token = JoinToken.generate(new SecureRandom());
    seed = new SeedServer(SeedConfig.of(new InetSocketAddress("127.0.0.1", 0), JoinToken.parse(token))).start();
    runtimeApi = RuntimeApiStandIn.start(new InetSocketAddress("127.0.0.1", 0));
    Path agentJar = FakeAgentJar.write(dir); // the commands here are not JVMs
    ProcessBuilder builder = new ProcessBuilder(LambdaEnvironment.command(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), System.getProperty("java.class.path"),
        HANDLER, dir.resolve("function-tmp")));
    builder.environment().putAll(LambdaEnvironment.variables(runtimeApi.address(), "boxer-test", HANDLER,
        dir.toString()));
    builder.environment().put("BOXER_AGENT_JAR", agentJar.toString());
    builder.environment().put("BOXER_AGENT_FLAG", "agentlib"); // the function's choice reaches the command's JVMs
    builder.environment().put("BOXER_TOKEN", token); // the function's own token, for events that carry none
    builder.environment().put("PATH", functionPath().toString());
    runtime = builder.redirectErrorStream(true).redirectOutput(dir.resolve("runtime.log").toFile()).start();
  }

  /**
   * A PATH with only what the function image has for the handler (sh, setsid, kill; mktemp, grep and rm for the
   * watchdog) and what the tests' commands use:
   * no ip, no iptables, as in Lambda.
   */
  private static Path functionPath() throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    for (String program : java.util.List.of("sh", "setsid", "kill", "mktemp", "grep", "rm", "cat", "sleep", "true")) {
      Path found = java.util.stream.Stream.of("/usr/bin", "/bin").map(d -> Path.of(d, program))
          .filter(Files::isExecutable).findFirst().orElseThrow(() -> new AssertionError(program + " not found"));
      Files.createSymbolicLink(bin.resolve(program), found);
    }
    return bin;
  }

  @AfterAll
  static void stopFunction() throws Exception {
    if (runtime != null) {
      runtime.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    if (runtimeApi != null) {
      runtimeApi.close();
    }
    if (seed != null) {
      seed.close();
    }
  }

  private static FunctionRun.Builder event(String... command) {
    return FunctionRun.newBuilder().setSeed("127.0.0.1:" + seed.port()).setMembers(1).addAllCommand(java.util.List.of(command));
  }

  private static Outcome invoke(String eventJson, Duration deadline) throws Exception {
    try {
      return runtimeApi.invoke(eventJson.getBytes(java.nio.charset.StandardCharsets.UTF_8), Instant.now().plus(deadline))
          .get(ANSWER.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("no answer from the function; its log:\n" + Files.readString(dir.resolve("runtime.log")), e);
    }
  }

  private static FunctionRunResult response(Outcome outcome) throws Exception {
    assertThat(outcome.kind()).as("a response, not an error: %s", outcome.body()).isEqualTo(Kind.RESPONSE);
    FunctionRunResult.Builder result = FunctionRunResult.newBuilder();
    JsonFormat.parser().merge(outcome.body(), result);
    return result.build();
  }

  @Test
  void handler_runsTheCommandAsAMember_andReturnsItsExitCodeAndOutput() throws Exception {
    String json = JsonFormat.printer().print(event("sh", "-c",
        "echo member-$BOXER_NODE_ID at $BOXER_NODE_ADDRESS; cat \"$BOXER_PEERS_FILE\"; "
            + "echo token=${BOXER_TOKEN:-none} greeting=$GREETING >&2; echo tools=$JAVA_TOOL_OPTIONS; exit 3")
        .putEnvironment("GREETING", "hello"));

    FunctionRunResult result = response(invoke(json, Duration.ofSeconds(60)));

    assertThat(result.getExitCode()).isEqualTo(3);
    assertThat(result.getNodeId()).isPositive();
    assertThat(result.getExternalAddress()).isEqualTo("127.0.0.1");
    assertThat(result.getOutputTail())
        .contains("member-" + result.getNodeId() + " at 127.0.0.1")
        .contains(result.getNodeId() + " 127.0.0.1 member") // the peers file
        .contains("token=none greeting=hello") // the function's token stays the handler's
        .containsPattern("tools=.*-agentlib:instrument=" + dir.resolve("boxer-agent.jar")); // BOXER_AGENT_FLAG
    assertThat(result.getDeadlineReached()).isFalse();
    assertThat(seed.members()).as("the node left the cluster before answering").isZero();
  }

  @Test
  void handler_stopsTheCommandAndLeaves_beforeTheDeadline() throws Exception {
    String json = JsonFormat.printer().print(event("sh", "-c", "echo started; exec sleep 297").setToken(token));
    Instant deadline = Instant.now().plusSeconds(16);

    Outcome outcome = invoke(json, Duration.ofSeconds(16));
    FunctionRunResult result = response(outcome);

    assertThat(outcome.at()).as("answered before the deadline").isBefore(deadline);
    assertThat(result.getDeadlineReached()).isTrue();
    assertThat(result.getExitCode()).isEqualTo(1);
    assertThat(result.getReason()).contains("deadline");
    assertThat(result.getOutputTail()).contains("started");
    assertThat(seed.members()).isZero();
    assertThat(ProcessHandle.allProcesses().filter(p -> p.info().commandLine().orElse("").contains("sleep 297")))
        .as("the command is gone").isEmpty();
  }

  @Test
  void handler_givesUpWaitingForMembers_beforeTheDeadline() throws Exception {
    String json = JsonFormat.printer().print(event("true").setMembers(2));
    Instant deadline = Instant.now().plusSeconds(14);

    Outcome outcome = invoke(json, Duration.ofSeconds(14));
    FunctionRunResult result = response(outcome);

    assertThat(outcome.at()).isBefore(deadline);
    assertThat(result.getExitCode()).isEqualTo(1);
    assertThat(result.getDeadlineReached()).isTrue();
    assertThat(result.getReason()).startsWith(FunctionRunner.DEADLINE_REASON + " before");
    assertThat(seed.members()).isZero();
  }

  @Test
  void handler_startsNothing_whenTheDeadlineIsWithinItsMargin() throws Exception {
    FunctionRunResult result = response(invoke(JsonFormat.printer().print(event("true")), Duration.ofSeconds(3)));

    assertThat(result.getExitCode()).isEqualTo(1);
    assertThat(result.getNodeId()).isZero();
    assertThat(result.getReason()).contains("raise the function's timeout");
  }

  @Test
  void handler_reportsABadEvent_asAFunctionError() throws Exception {
    Outcome outcome = invoke("{\"seed\": \"127.0.0.1:1\", \"members\": 1, \"comand\": [\"true\"]}", Duration.ofSeconds(30));

    assertThat(outcome.kind()).isEqualTo(Kind.ERROR);
    assertThat(outcome.body()).contains("comand");
  }
}
