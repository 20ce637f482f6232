package io.boxer.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/**
 * An agent jar that passes {@code boxer run}'s and the Lambda handler's checks (a Premain-Class, its
 * Boot-Class-Path next to it) for tests whose commands are not JVMs: nothing ever loads it.
 */
public final class FakeAgentJar {
  private FakeAgentJar() {}

  /** Writes {@code boxer-agent.jar} and {@code boxer-agent-bootstrap.jar} into {@code dir}; returns the first. */
  public static Path write(Path dir) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Premain-Class", "io.boxer.agent.BoxerAgent");
    manifest.getMainAttributes().putValue("Boot-Class-Path", "boxer-agent-bootstrap.jar");
    Path agent = dir.resolve("boxer-agent.jar");
    try (OutputStream out = Files.newOutputStream(agent); JarOutputStream jar = new JarOutputStream(out, manifest)) {
      jar.flush();
    }
    Files.writeString(dir.resolve("boxer-agent-bootstrap.jar"), "never loaded");
    return agent;
  }
}
