package io.boxer.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Fills the cache of rewritten classes ({@link RewriteCache}) ahead of time, for an image whose JVMs should
 * start without rewriting (the Lambda image does it at build time): run in a JVM that has the agent, it loads
 * every JDK class the agent rewrites, so that the agent rewrites and stores each, then checks that the cache
 * holds each class as this JDK has it. Exit codes: 0 every class is cached, 1 some are not, 2 no cache is
 * configured.
 */
public final class RewriteCachePreparation {
  private RewriteCachePreparation() {}

  /** Loads, checks and reports on {@code out} one line per class; returns the exit code. */
  public static int run(PrintStream out, PrintStream err) {
    RewriteCacheDir dir;
    try {
      dir = RewriteCacheDir.fromEnvironment();
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    }
    if (dir.path() == null) {
      err.println(RewriteCacheDir.ENV + " is off, or unset with neither XDG_CACHE_HOME nor HOME set: there is no "
          + "cache to fill (expected: " + RewriteCacheDir.ENV + "=<absolute directory>)");
      return 2;
    }
    List<String> missing = new ArrayList<>();
    try {
      RewriteCache.AgentIdentity identity = AgentInstaller.agentIdentity();
      if (identity == null) {
        err.println("run this from boxer-agent.jar, with boxer-agent-bootstrap.jar next to it");
        return 1;
      }
      RewriteCache cache = RewriteCache.open(dir.path(), identity);
      for (String target : new TreeSet<>(AgentInstaller.jdkTargets())) {
        Class.forName(target, false, null); // with the agent, loading it rewrites and stores it
        String internal = target.replace('.', '/');
        byte[] original;
        try (InputStream in = Object.class.getModule().getResourceAsStream(internal + ".class")) {
          original = in.readAllBytes();
        }
        boolean cached = cache.find(internal, original) != null;
        out.println((cached ? "cached " : "missing ") + target);
        if (!cached) {
          missing.add(target);
        }
      }
    } catch (IOException | ClassNotFoundException e) {
      err.println("cannot fill " + dir.path() + ": " + e);
      return 1;
    }
    if (!missing.isEmpty()) {
      err.println(missing.size() + " classes are not in " + dir.path() + ": was this JVM started with "
          + "-javaagent:boxer-agent.jar and BOXER_AGENT_SOCKET set (any path; no node is needed)?");
      return 1;
    }
    return 0;
  }
}
