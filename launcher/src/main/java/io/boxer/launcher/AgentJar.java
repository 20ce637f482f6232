package io.boxer.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The agent jar that the command's JVMs load, checked before anything starts ({@code boxer run} and the Lambda
 * handler): a Java agent, at a path JAVA_TOOL_OPTIONS can carry, with the jars of its {@code Boot-Class-Path}
 * next to it. A JVM whose agent cannot start runs the application without Boxer and says so only on the
 * application's stderr; failing here names the missing file instead.
 */
public final class AgentJar {
  private AgentJar() {}

  /**
   * {@code jar} as an absolute path.
   *
   * @param setting the option or variable that named it ({@code --agent}, {@code BOXER_AGENT_JAR}), for messages
   * @throws IllegalArgumentException "setting : jar ... (expected: ...)" naming what is wrong
   */
  public static Path check(String setting, Path jar) {
    if (jar == null || !Files.isRegularFile(jar)) {
      throw new IllegalArgumentException(setting + " : " + jar + " is not a file (expected: the boxer-agent.jar "
          + "file; build it with `mvn -q -DskipTests package`)");
    }
    Path absolute = jar.toAbsolutePath();
    if (absolute.toString().chars().anyMatch(Character::isWhitespace)) {
      throw new IllegalArgumentException(setting + " : " + jar
          + " (expected: a path without spaces; JAVA_TOOL_OPTIONS splits on them)");
    }
    Attributes manifest;
    try (JarFile file = new JarFile(absolute.toFile())) {
      Manifest m = file.getManifest();
      manifest = m == null ? new Attributes() : m.getMainAttributes();
    } catch (IOException e) {
      throw new IllegalArgumentException(setting + " : " + jar + " is not a jar (" + e.getMessage()
          + "; expected: boxer-agent.jar)");
    }
    if (manifest.getValue("Premain-Class") == null) {
      throw new IllegalArgumentException(setting + " : " + jar + " is not a Java agent (no Premain-Class in its "
          + "manifest; expected: boxer-agent.jar)");
    }
    String bootClassPath = manifest.getValue("Boot-Class-Path");
    if (bootClassPath != null) {
      for (String entry : bootClassPath.trim().split("\\s+")) {
        Path needed = absolute.resolveSibling(entry);
        if (!Files.isRegularFile(needed)) {
          throw new IllegalArgumentException(setting + " : " + jar + " needs " + entry + " next to it (its "
              + "Boot-Class-Path; expected: " + needed + ", built beside it in agent/target)");
        }
      }
    }
    return absolute;
  }
}
