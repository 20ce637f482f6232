package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.util.JsonFormat;
import io.boxer.netlab.HostProcess;
import io.boxer.netlab.LabSpec;
import io.boxer.netlab.NatProfile;
import io.boxer.proto.function.v1.FunctionRun;
import io.boxer.proto.function.v1.FunctionRunResult;
import io.boxer.testing.lambda.LambdaEnvironment;
import io.boxer.testing.lambda.RuntimeApiSpool;
import io.boxer.testing.lambda.RuntimeApiStandIn;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The cloud path the way Lambda runs it, in the lab: three function hosts behind {@code lambda} NATs each run the
 * real runtime interface client with {@code boxer-lambda.jar}, polling a Runtime API stand-in (on vm1; Lambda's
 * is local to the function, the protocol is the same). Their invocations start a replicated key-value store under
 * the agent; a client on vm2 under {@code boxer run} writes and reads through it; the responses carry the
 * commands' exit codes; an invocation whose deadline runs out is stopped and answered in time.
 */
@Tag("lab")
class LambdaIT {
  private static final String HANDLER = "io.boxer.lambda.BoxerFunctionHandler::handleRequest";
  private static final String STORE = "io.boxer.examples.replicated.ReplicatedStore";
  private static final String CLIENT = "io.boxer.examples.replicated.ReplicatedStoreClient";
  private static final List<String> FUNCTIONS = List.of("fn1", "fn2", "fn3");
  private static final int FIRST_API_PORT = 9001;
  private static final Duration START = Duration.ofSeconds(60);
  private static BoxerLab lab;
  private static Path spool;
  /** The image's class-data archive (deploy/lambda/Dockerfile writes it at build time with the image's java). */
  private static Path archive;

  @BeforeAll
  static void startFunctions() throws Exception {
    lab = BoxerLab.start(LabSpec.builder().functions(3).vms(2).profile(NatProfile.LAMBDA).build());
    spool = Files.createTempDirectory("boxer-lambda-it");
    List<String> apiArgs = new ArrayList<>(List.of(spool.toString(), address("vm1")));
    for (int i = 0; i < FUNCTIONS.size(); i++) {
      lab.allowInboundTcp("vm1", FIRST_API_PORT + i);
      apiArgs.add(FUNCTIONS.get(i) + "=" + (FIRST_API_PORT + i));
    }
    HostProcess api = lab.runWithoutBoxer("runtime-api", lab.host("vm1"), java(), classPathOf(RuntimeApiSpool.class),
        RuntimeApiSpool.class.getName(), apiArgs.toArray(String[]::new));
    api.awaitLine(l -> l.equals("runtime-api-spool ready"), START);
    archive = lab.classDataArchive(spool.resolve("agent.jsa")); // as the image's build does
    String functionClassPath = lab.file("lambda/target/boxer-lambda.jar") + File.pathSeparator + runtimeClientJars();
    for (int i = 0; i < FUNCTIONS.size(); i++) {
      String fn = FUNCTIONS.get(i);
      Map<String, String> env = new HashMap<>(LambdaEnvironment.variables(address("vm1") + ":" + (FIRST_API_PORT + i),
          fn, HANDLER, spool.toString()));
      env.put("BOXER_AGENT_JAR", lab.agentJar().toString());
      env.put("BOXER_CLASS_DATA_ARCHIVE", archive.toString());
      env.put("BOXER_TOKEN", lab.token()); // the function's configuration holds the token; events carry none
      lab.runWithoutBoxer(fn + "-runtime", lab.host(fn), env,
          LambdaEnvironment.command(java().toString(), functionClassPath, HANDLER, spool.resolve(fn + "-tmp")));
    }
  }

  @AfterAll
  static void stopLab() throws Exception {
    try {
      if (lab != null) {
        lab.close();
      }
    } finally {
      if (spool != null) {
        try (var paths = Files.walk(spool)) {
          paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  @Test
  void threeFunctions_serveAReplicatedStore_toAClientOnAVm_andAnswerWithTheirExitCodes() throws Exception {
    List<Path> outcomes = new ArrayList<>();
    Instant deadline = Instant.now().plusSeconds(180);
    for (String fn : FUNCTIONS) {
      FunctionRun run = FunctionRun.newBuilder().setSeed(lab.seedAddress()).setMembers(4).setRole("replica")
          .addAllCommand(List.of(java().toString(), "-cp", lab.file("examples/target/boxer-examples.jar").toString(),
              STORE, "--replicas", "3", "--exit-after-seconds", "40"))
          .build();
      outcomes.add(RuntimeApiSpool.submit(spool, fn, "replicated-" + fn, JsonFormat.printer().print(run), deadline));
    }
    List<String> servers = FUNCTIONS.stream().map(fn -> external(fn) + ":7400").toList();
    HostProcess client = lab.start("vm2-client", lab.host("vm2"), List.of("run", "--seed", lab.seedAddress(),
        "--members", "4", "--role", "client", "--", java().toString(), "-cp",
        lab.file("examples/target/boxer-examples.jar").toString(), CLIENT, "--servers", String.join(",", servers)));

    // the handler passed the image's archive in JAVA_TOOL_OPTIONS: the store's JVM maps it as it starts
    long store = await().atMost(START).ignoreExceptions().until(() -> HostProcesses.app(lab, "fn1", STORE), p -> true);
    await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
        Files.readAllLines(Path.of("/proc", Long.toString(store), "maps")))
        .as("memory map of the store's JVM on fn1").anyMatch(line -> line.endsWith(" " + archive)));
    assertThat(client.awaitExit(Duration.ofSeconds(120))).as(client.output()).isZero();
    assertThat(client.output()).contains("replicated-store-client ok");
    for (int i = 0; i < FUNCTIONS.size(); i++) {
      FunctionRunResult result = response(outcomes.get(i), Duration.ofSeconds(120));
      assertThat(result.getExitCode()).as(result.toString()).isZero();
      assertThat(result.getDeadlineReached()).isFalse();
      assertThat(result.getExternalAddress()).isEqualTo(external(FUNCTIONS.get(i)));
      assertThat(result.getOutputTail()).contains("replicated-store listening");
    }
  }

  @Test
  void anInvocationWhoseDeadlineRunsOut_isStoppedAndAnswered_beforeTheDeadline() throws Exception {
    // a store that would wait for two more replicas for a minute: the deadline comes first
    FunctionRun run = FunctionRun.newBuilder().setSeed(lab.seedAddress()).setMembers(1).setRole("replica")
        .addAllCommand(List.of(java().toString(), "-cp", lab.file("examples/target/boxer-examples.jar").toString(),
            STORE, "--replicas", "3", "--wait-seconds", "60"))
        .build();
    Instant deadline = Instant.now().plusSeconds(25);
    Path outcome = RuntimeApiSpool.submit(spool, "fn3", "deadline-fn3", JsonFormat.printer().print(run), deadline);

    FunctionRunResult result = response(outcome, Duration.ofSeconds(60));

    assertThat(RuntimeApiSpool.read(outcome).orElseThrow().at()).isBefore(deadline);
    assertThat(result.getDeadlineReached()).as(result.toString()).isTrue();
    assertThat(result.getExitCode()).isEqualTo(1);
    assertThat(result.getReason()).contains("deadline");
    assertThat(HostProcesses.commandLines(lab, "fn3")).noneMatch(c -> c.contains(STORE));
  }

  private static FunctionRunResult response(Path outcome, Duration within) throws Exception {
    RuntimeApiStandIn.Outcome answer = await().atMost(within).pollInterval(Duration.ofMillis(200))
        .until(() -> RuntimeApiSpool.read(outcome), Optional::isPresent).orElseThrow();
    assertThat(answer.kind()).as(answer.body()).isEqualTo(RuntimeApiStandIn.Kind.RESPONSE);
    FunctionRunResult.Builder result = FunctionRunResult.newBuilder();
    JsonFormat.parser().merge(answer.body(), result);
    return result.build();
  }

  private static Path java() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  private static Path classPathOf(Class<?> type) throws Exception {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  /** The runtime interface client and its dependencies, as the Java base image has them beside the function. */
  private static String runtimeClientJars() {
    return String.join(File.pathSeparator, Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(p -> p.contains("/com/amazonaws/aws-lambda-java-") || p.contains("/utils-lite/"))
        .toList());
  }

  private static String address(String host) {
    return lab.host(host).address().getHostAddress();
  }

  private static String external(String host) {
    return lab.host(host).externalAddress().getHostAddress();
  }
}
