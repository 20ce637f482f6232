package io.boxer.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.testing.FakeAgentJar;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentJarTest {
  @TempDir Path dir;

  @Test
  void agentWithItsBootClassPath_isAccepted_asAnAbsolutePath() throws IOException {
    Path agent = FakeAgentJar.write(dir);
    assertThat(AgentJar.check("--agent", agent))
        .isEqualTo(agent.toAbsolutePath());
  }

  @Test
  void bootstrapJarMissing_namesItAndWhereItShouldBe() throws IOException {
    Path agent = FakeAgentJar.write(dir);
    Files.delete(dir.resolve("boxer-agent-bootstrap.jar"));
    assertThatThrownBy(() -> AgentJar.check("BOXER_AGENT_JAR", agent)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("BOXER_AGENT_JAR : " + agent + " needs boxer-agent-bootstrap.jar next to it")
        .hasMessageContaining(dir.resolve("boxer-agent-bootstrap.jar").toString());
  }

  @Test
  void missingFile_notAJar_notAnAgent_orASpace_areRefused() throws IOException {
    assertThatThrownBy(() -> AgentJar.check("--agent", dir.resolve("none.jar")))
        .hasMessageContaining("--agent : " + dir.resolve("none.jar") + " is not a file");
    assertThatThrownBy(() -> AgentJar.check("--agent", null)).hasMessageContaining("is not a file");

    Path text = Files.writeString(dir.resolve("text.jar"), "not a zip");
    assertThatThrownBy(() -> AgentJar.check("--agent", text)).hasMessageContaining("is not a jar");

    Path plain = jar(dir.resolve("plain.jar"), new Manifest());
    assertThatThrownBy(() -> AgentJar.check("--agent", plain)).hasMessageContaining("is not a Java agent");

    Path spaced = Files.createDirectory(dir.resolve("with space"));
    Path agent = FakeAgentJar.write(spaced);
    assertThatThrownBy(() -> AgentJar.check("--agent", agent)).hasMessageContaining("a path without spaces");
  }

  @Test
  void agentWithoutBootClassPath_needsNothingNextToIt() throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().putValue("Premain-Class", "Empty");
    Path agent = jar(dir.resolve("empty-agent.jar"), manifest);
    assertThat(AgentJar.check("--agent", agent)).isEqualTo(agent.toAbsolutePath());
  }

  private static Path jar(Path path, Manifest manifest) throws IOException {
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    try (OutputStream out = Files.newOutputStream(path); JarOutputStream jar = new JarOutputStream(out, manifest)) {
      jar.flush();
    }
    return path;
  }
}
