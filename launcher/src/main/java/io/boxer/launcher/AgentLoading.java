package io.boxer.launcher;

import java.nio.file.Path;

/**
 * How the command's JVMs load the Boxer agent, as options for JAVA_TOOL_OPTIONS: the agent jar, the flag that
 * loads it, and optionally the class-data-sharing archive those JVMs map ({@link ClassDataArchive}).
 *
 * @param jar the checked agent jar ({@link AgentJar})
 * @param flag {@code -javaagent} or {@code -agentlib:instrument}
 * @param classDataArchive the checked archive, or null for the JDK's own
 */
public record AgentLoading(Path jar, AgentFlag flag, Path classDataArchive) {
  /** The JVM options, space-separated (neither path has spaces: both were checked). */
  public String jvmOptions() {
    String agent = flag.option(jar.toString());
    return classDataArchive == null ? agent : "-XX:SharedArchiveFile=" + classDataArchive + " " + agent;
  }
}
