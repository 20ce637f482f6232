package io.boxer.agent;

import io.boxer.agent.internal.AgentConfig;
import io.boxer.agent.internal.AgentInstaller;
import io.boxer.agent.internal.RewriteCacheDir;
import io.boxer.agent.internal.WarmSettings;
import java.lang.instrument.Instrumentation;

/**
 * The {@code Premain-Class} of {@code boxer-agent.jar}. The JVM has already put {@value #BOOTSTRAP_JAR} (the
 * agent jar's {@code Boot-Class-Path}, resolved next to the agent jar) on the boot class path; premain checks
 * that the bootstrap classes are there, validates the configuration and hands off to the installer. The JVM
 * loads {@code AgentInstaller} (which refers to the bootstrap classes) only when premain first calls it, after
 * that check.
 *
 * <p>Never throws: any failure prints one line to stderr and the application runs without Boxer.
 */
public final class BoxerAgent {

  /** File name of the bootstrap jar, next to the agent jar (the manifest's {@code Boot-Class-Path}). */
  static final String BOOTSTRAP_JAR = "boxer-agent-bootstrap.jar";

  private static final String HOOKS = "io.boxer.agent.bootstrap.BoxerHooks";

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
      AgentConfig config = AgentConfig.parse(socket, System.getProperty(AgentConfig.PRIME_TIMEOUT_PROPERTY),
          System.getProperty(WarmSettings.PORTS_PROPERTY), System.getProperty(WarmSettings.REFRESH_PROPERTY))
          .withRewriteCache(RewriteCacheDir.fromEnvironment());
      try {
        Class.forName(HOOKS, false, null);
      } catch (ClassNotFoundException e) {
        System.err.println("[boxer-agent] failed to start, the application runs without Boxer: " + BOOTSTRAP_JAR
            + " is not on the boot class path (expected: in the directory of boxer-agent.jar)");
        return;
      }
      AgentInstaller.install(instrumentation, config); // first use of AgentInstaller: loaded only now
    } catch (Throwable t) {
      System.err.println("[boxer-agent] failed to start, the application runs without Boxer: " + t);
    }
  }
}
