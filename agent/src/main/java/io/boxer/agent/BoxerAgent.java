package io.boxer.agent;

import io.boxer.agent.internal.AgentConfig;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * The {@code Premain-Class} of {@code boxer-agent.jar}. It validates the configuration, puts the embedded
 * bootstrap jar on the boot class path and hands off to the installer, which it reaches by name so that no
 * class referring to the bootstrap classes is loaded before they are on the boot class path.
 *
 * <p>Never throws: any failure prints one line to stderr and the application runs without Boxer.
 */
public final class BoxerAgent {

  /** Path of the bootstrap jar inside the agent jar (not a class path entry: only the boot loader sees it). */
  static final String BOOTSTRAP_JAR_RESOURCE = "META-INF/boxer/boxer-agent-bootstrap.jar";

  private static final String INSTALLER = "io.boxer.agent.internal.AgentInstaller";

  private BoxerAgent() {}

  public static void premain(String agentArgs, Instrumentation instrumentation) {
    try {
      String socket = System.getenv(AgentConfig.SOCKET_ENV);
      if (socket == null) {
        System.err.println("[boxer-agent] " + AgentConfig.SOCKET_ENV + " is not set: Boxer is disabled in this "
            + "JVM (start the application with `boxer run` or set " + AgentConfig.SOCKET_ENV
            + " to the node's agent socket).");
        return;
      }
      AgentConfig config = AgentConfig.parse(socket, System.getProperty(AgentConfig.PRIME_TIMEOUT_PROPERTY));
      appendBootstrapJar(instrumentation);
      Class.forName(INSTALLER, true, BoxerAgent.class.getClassLoader())
          .getMethod("install", Instrumentation.class, AgentConfig.class)
          .invoke(null, instrumentation, config);
    } catch (Throwable t) {
      Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
      System.err.println("[boxer-agent] failed to start, the application runs without Boxer: " + cause);
    }
  }

  private static void appendBootstrapJar(Instrumentation instrumentation) throws IOException {
    File jar = File.createTempFile("boxer-agent-bootstrap", ".jar");
    jar.deleteOnExit();
    try (InputStream in = BoxerAgent.class.getClassLoader().getResourceAsStream(BOOTSTRAP_JAR_RESOURCE)) {
      if (in == null) {
        throw new IOException(BOOTSTRAP_JAR_RESOURCE + " is missing from the agent jar (broken build)");
      }
      Files.copy(in, jar.toPath(), StandardCopyOption.REPLACE_EXISTING);
    }
    instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(jar));
  }
}
