package io.boxer.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.agent.it.probe.ConnectLoopProbe;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The JIT keeps the agent's connect hook out of the JDK's compiled connect ({@code @DontInline} on
 * {@code BoxerHooks}, honoured because the bootstrap jar is on the boot class path): a JVM with the real agent
 * jar compiles {@code sun.nio.ch.Net.connect} with its call to {@code BoxerHooks.beforeConnect} left a call
 * (the JIT's own report, {@code -XX:+PrintInlining}). JDK 17 and 25; loopback only, no root.
 */
class HookInliningIT {
  private static final Path AGENT_JAR = Path.of(System.getProperty("boxer.agentJar", "target/boxer-agent.jar"));
  private static final String HOOK = "io.boxer.agent.bootstrap.BoxerHooks::beforeConnect";

  @TempDir Path dir;

  static Stream<String> javas() {
    return Stream.of(ChildJvm.JDK17_JAVA, ChildJvm.JDK25_JAVA);
  }

  @ParameterizedTest
  @MethodSource("javas")
  void theJdksCompiledConnect_callsTheHook_ratherThanInliningIt(String java) throws Exception {
    // C1 alone (as quick to compile as it is to run) reports each call site it compiles with its decision
    List<String> lines = run(List.of(java, "-XX:TieredStopAtLevel=1", "-XX:+UnlockDiagnosticVMOptions",
        "-XX:+PrintCompilation", "-XX:+PrintInlining", "-javaagent:" + AGENT_JAR,
        "-cp", System.getProperty("boxer.testClasses", "target/test-classes"), ConnectLoopProbe.class.getName(),
        "5000"));

    assertThat(lines).contains("connected 5000");
    // a call site's line: "@ BCI  method (size)   decision"; the others are PrintCompilation's own
    List<String> decisions = lines.stream().filter(line -> line.contains(HOOK) && line.trim().startsWith("@ "))
        .toList();
    assertThat(decisions).as("the JIT's decisions on the hook's call sites").isNotEmpty()
        .allMatch(line -> line.contains("don't inline by annotation"));
  }

  private List<String> run(List<String> command) throws IOException, InterruptedException {
    ChildJvm.Result result = ChildJvm.run(dir,
        Map.of("BOXER_AGENT_SOCKET", dir.resolve("no-node.sock").toString()), command);
    assertThat(result.exit()).as(result.output()).isZero();
    return result.output().lines().toList();
  }
}
