package io.boxer.agent.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A child JVM (or any command) of an agent IT, run to its end: the two JDKs the agent must work on, and a runner. */
final class ChildJvm {
  static final String JDK17_JAVA = System.getProperty("boxer.jdk17.java",
      "/usr/lib/jvm/java-17-openjdk-amd64/bin/java");
  static final String JDK25_JAVA = System.getProperty("boxer.jdk25.java",
      "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

  /** How a command ended: its exit code and its output (stdout and stderr together). */
  record Result(int exit, String output) {}

  private ChildJvm() {}

  /**
   * Runs {@code command} with {@code env} added to this JVM's environment, less JAVA_TOOL_OPTIONS (a child must
   * not inherit the build's agent options), its output kept in a file of {@code dir} until it ends; fails the test
   * if it runs longer than 120 s.
   */
  static Result run(Path dir, Map<String, String> env, List<String> command)
      throws IOException, InterruptedException {
    Path out = dir.resolve("out-" + System.nanoTime());
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
        .redirectOutput(out.toFile());
    builder.environment().remove("JAVA_TOOL_OPTIONS");
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError("did not end within 120 s: " + command);
    }
    String output = Files.readString(out, StandardCharsets.UTF_8);
    Files.delete(out);
    return new Result(process.exitValue(), output);
  }
}
