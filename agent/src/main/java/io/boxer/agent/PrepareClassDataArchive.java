package io.boxer.agent;

import io.boxer.agent.internal.ClassDataArchivePreparation;
import java.nio.file.Path;

/**
 * Writes a class-data-sharing (CDS) archive for JVMs that run with this agent, e.g. while building an image
 * (deploy/lambda/Dockerfile) or once per machine for {@code boxer run --class-data-archive}. Run it with the
 * {@code java} the applications use; the archive belongs to that JVM build:
 * <pre>
 * java -cp boxer-agent.jar io.boxer.agent.PrepareClassDataArchive /opt/boxer/agent.jsa
 * </pre>
 * The archive holds the JDK's default classes plus the JDK classes the agent loads, and is dumped with the module
 * option {@code -javaagent} adds, so that a JVM started with the agent and {@code -XX:SharedArchiveFile} maps them
 * instead of loading them (and, from JDK 24 on, keeps the archived module graph). Exit codes: 0 written and
 * checked, 1 failed (the reason on stderr), 2 usage.
 */
public final class PrepareClassDataArchive {
  private PrepareClassDataArchive() {}

  public static void main(String[] args) {
    if (args.length != 1 || args[0].isBlank() || args[0].startsWith("-")) {
      System.err.println("usage: java -cp boxer-agent.jar io.boxer.agent.PrepareClassDataArchive ARCHIVE "
          + "(expected: one argument, the archive file to write)");
      System.exit(2);
    }
    System.exit(ClassDataArchivePreparation.run(Path.of(args[0]), System.out, System.err));
  }
}
