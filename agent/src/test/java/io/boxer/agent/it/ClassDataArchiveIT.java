package io.boxer.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.agent.it.ChildJvm.Result;
import io.boxer.agent.it.probe.BindProbe;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code io.boxer.agent.PrepareClassDataArchive} run from the real agent jar with JDK 17 and JDK 25: it writes an
 * archive that a JVM with {@code -javaagent} maps under {@code -Xshare:on}, from which the JDK classes that the
 * agent and an application's first socket load come (they are not in the JDK's own archive), and with which
 * JDK 25 keeps the archived module graph that {@code -javaagent} otherwise turns off. Loopback only, no root.
 */
class ClassDataArchiveIT {
  private static final Path AGENT_JAR = Path.of(System.getProperty("boxer.agentJar", "target/boxer-agent.jar"));
  /**
   * Loaded by premain (java.instrument's interface) and by an application's first socket; in neither JDK's default
   * class list, so the JDK's own archive has neither.
   */
  private static final List<String> AGENT_AND_FIRST_SOCKET_CLASSES = List.of("java.lang.instrument.Instrumentation",
      "java.net.ServerSocket");

  @TempDir Path dir;

  static Stream<Arguments> jdks() {
    return Stream.of(new Arguments(17, ChildJvm.JDK17_JAVA), new Arguments(25, ChildJvm.JDK25_JAVA));
  }

  record Arguments(int feature, String java) {
    @Override
    public String toString() {
      return "JDK " + feature;
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void theArchive_servesTheAgentsJdkClasses_toAJvmWithTheAgent(Arguments jdk) throws Exception {
    Path archive = dir.resolve("agent.jsa");
    Result prepared = run(List.of(jdk.java(), "-cp", AGENT_JAR.toString(),
        "io.boxer.agent.PrepareClassDataArchive", archive.toString()));
    assertThat(prepared.exit()).as(prepared.output()).isZero();
    assertThat(prepared.output()).contains("archive " + archive);
    assertThat(archive).isRegularFile();
    assertThat(dir).isDirectoryNotContaining(p -> p.getFileName().toString().contains(".tmp-"));

    Result probe = run(Map.of("BOXER_AGENT_SOCKET", dir.resolve("no-node.sock").toString()), List.of(jdk.java(), "-Xshare:on", "-XX:SharedArchiveFile=" + archive,
        "-javaagent:" + AGENT_JAR, "-Xlog:class+load=info,cds=info:file=" + dir.resolve("jvm.log"),
        "-cp", System.getProperty("boxer.testClasses", "target/test-classes"), BindProbe.class.getName()));
    assertThat(probe.exit()).as(probe.output()).isZero();
    assertThat(probe.output()).contains("bound");
    List<String> log = Files.readAllLines(dir.resolve("jvm.log"), StandardCharsets.UTF_8);
    for (String name : AGENT_AND_FIRST_SOCKET_CLASSES) {
      assertThat(log).as("how the JVM loaded %s", name)
          .anyMatch(line -> line.contains(" " + name + " source: shared objects file"));
    }
    if (jdk.feature() >= 25) {
      assertThat(log).as("CDS's module graph under -javaagent").anyMatch(l -> l.endsWith("full module graph: enabled"));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("jdks")
  void aFileWhereTheArchiveShouldGo_isNotReplacedByAFailedRun(Arguments jdk) throws Exception {
    Path archive = Files.writeString(dir.resolve("agent.jsa"), "keep");
    // an agent jar whose bootstrap jar is missing cannot run the workload: the first step fails
    Path lonely = Files.createDirectory(dir.resolve("lonely")).resolve("boxer-agent.jar");
    Files.copy(AGENT_JAR, lonely);
    Result prepared = run(List.of(jdk.java(), "-cp", lonely.toString(), "io.boxer.agent.PrepareClassDataArchive",
        archive.toString()));
    assertThat(prepared.exit()).isEqualTo(1);
    assertThat(prepared.output()).contains("the workload with the agent");
    assertThat(Files.readString(archive)).isEqualTo("keep");
    assertThat(dir).isDirectoryNotContaining(p -> p.getFileName().toString().contains(".tmp-"));
  }

  private Result run(List<String> command) throws IOException, InterruptedException {
    return run(Map.of(), command);
  }

  private Result run(Map<String, String> env, List<String> command) throws IOException, InterruptedException {
    return ChildJvm.run(dir, env, command);
  }
}
