package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Dockerfile reader that ContainerImageIT relies on, on good and bad input; no build needed. */
class DockerfileTest {
  private static final Map<String, String> BASE = Map.of("LAMBDA_TASK_ROOT", "/var/task");

  @TempDir Path context;

  @Test
  void parse_joinsContinuedLinesAndSkipsComments() {
    Dockerfile file = Dockerfile.parse("""
        # syntax=docker/dockerfile:1
        FROM public.ecr.aws/lambda/java:21

        RUN dnf install -y util-linux-core \\
        # a comment inside the continued RUN
            && dnf clean all
        copy a.jar \\
             b.jar ${LAMBDA_TASK_ROOT}/lib/
        ENV AGENT=/opt/boxer/agent.jar OTHER="two words"
        ENV OLD_FORM value with spaces
        CMD ["Handler::handleRequest"]
        """, BASE);

    assertThat(file.from()).isEqualTo("public.ecr.aws/lambda/java:21");
    assertThat(file.copies()).containsExactly(new Dockerfile.Copy(7, List.of("a.jar", "b.jar"), "/var/task/lib/"));
    assertThat(file.env()).containsExactlyInAnyOrderEntriesOf(
        Map.of("AGENT", "/opt/boxer/agent.jar", "OTHER", "two words", "OLD_FORM", "value with spaces"));
    assertThat(file.runs()).containsExactly("dnf install -y util-linux-core  && dnf clean all");
    assertThat(file.cmd()).containsExactly("Handler::handleRequest");
    assertThat(file.entrypoint()).isEmpty();
  }

  @Test
  void parse_unknownInstruction_namesItAndItsLine() {
    assertThatThrownBy(() -> Dockerfile.parse("FROM base\nADD https://example.invalid/x.jar /opt/\n", BASE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("line 2: unknown instruction ADD (expected: one of FROM, RUN, COPY, ENV, CMD, ENTRYPOINT)");
  }

  @Test
  void parse_cmdInShellForm_isRefused() {
    assertThatThrownBy(() -> Dockerfile.parse("FROM base\nCMD Handler::handleRequest\n", BASE))
        .hasMessageStartingWith("line 2: CMD Handler::handleRequest (expected: exec form");
  }

  @Test
  void parse_undefinedVariable_isRefused() {
    assertThatThrownBy(() -> Dockerfile.parse("FROM base\nCOPY a.jar ${TASK_ROOT}/lib/\n", BASE))
        .hasMessageStartingWith("line 2: $TASK_ROOT is not set");
  }

  @Test
  void parse_copyFlagsAndSecondStage_areRefused() {
    assertThatThrownBy(() -> Dockerfile.parse("FROM base\nCOPY --from=build a.jar /opt/\n", BASE))
        .hasMessageStartingWith("line 2: COPY flag --from=build is not supported");
    assertThatThrownBy(() -> Dockerfile.parse("FROM base\nFROM other\n", BASE))
        .hasMessageStartingWith("line 2: a second FROM");
    assertThatThrownBy(() -> Dockerfile.parse("RUN true\n", BASE)).hasMessageStartingWith("line 1: RUN before FROM");
    assertThatThrownBy(() -> Dockerfile.parse("FROM base\nRUN true \\\n", BASE))
        .hasMessageStartingWith("line 2: the instruction's last line ends with \\");
  }

  @Test
  void copiedFiles_missingSource_namesTheLineAndTheFile() {
    Dockerfile file = Dockerfile.parse("FROM base\n\nCOPY lambda/target/boxer-lambda.jar /var/task/lib/\n", BASE);

    assertThatThrownBy(() -> file.copiedFiles(context))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("line 3: COPY source lambda/target/boxer-lambda.jar matches no file under " + context);
  }

  @Test
  void copiedFiles_resolvesGlobsAndDestinations() throws IOException {
    Files.createDirectories(context.resolve("agent/target"));
    Path agent = Files.writeString(context.resolve("agent/target/boxer-agent.jar"), "a");
    Path app = Files.writeString(context.resolve("agent/target/app-1.0.jar"), "b");
    Files.writeString(context.resolve("agent/target/notes.txt"), "c");
    Dockerfile file = Dockerfile.parse("""
        FROM base
        COPY agent/target/boxer-agent.jar /opt/boxer/agent.jar
        COPY agent/target/*.jar ${LAMBDA_TASK_ROOT}/lib
        """, BASE);

    assertThat(file.copiedFiles(context)).containsExactlyInAnyOrderEntriesOf(Map.of(
        "/opt/boxer/agent.jar", agent,
        "/var/task/lib/app-1.0.jar", app,
        "/var/task/lib/boxer-agent.jar", agent));
  }
}
