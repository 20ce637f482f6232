package io.boxer.agent;

import io.boxer.agent.internal.RewriteCachePreparation;

/**
 * Fills the agent's cache of rewritten JDK classes ahead of time, e.g. while building an image whose JVMs should
 * start without rewriting them (deploy/lambda/Dockerfile):
 * <pre>
 * BOXER_AGENT_CACHE=/opt/boxer/agent-cache BOXER_AGENT_SOCKET=/tmp/none.sock \
 *   java -javaagent:boxer-agent.jar -cp boxer-agent.jar io.boxer.agent.PrepareRewriteCache
 * </pre>
 * Prints one line per class ({@code cached sun.nio.ch.Net}); exits 0 when every class is cached, 1 when some are
 * not, 2 when no cache directory is configured.
 */
public final class PrepareRewriteCache {
  private PrepareRewriteCache() {}

  public static void main(String[] args) {
    if (args.length != 0) {
      System.err.println("PrepareRewriteCache takes no arguments (expected: BOXER_AGENT_CACHE in the environment)");
      System.exit(2);
    }
    System.exit(RewriteCachePreparation.run(System.out, System.err));
  }
}
