package io.boxer.launcher;

import io.boxer.node.membership.Peer;
import java.nio.file.Path;
import java.util.Map;

/**
 * The environment every command run under Boxer gets on top of its own, from {@code boxer run} and from the Lambda
 * handler alike: who this member is, where the peers file and the agent socket are, and the agent (with its
 * class-data archive, if any) in {@code JAVA_TOOL_OPTIONS} (appended to what was there).
 */
public final class CommandEnvironment {
  private CommandEnvironment() {}

  /** For a command that inherits this process's JAVA_TOOL_OPTIONS, with the agent loaded as {@code agent} says. */
  public static Map<String, String> of(Peer self, PeersFile peers, Path agentSocket, AgentLoading agent) {
    return of(self, peers, agentSocket, agent, System.getenv("JAVA_TOOL_OPTIONS"));
  }

  /**
   * For a command whose own JAVA_TOOL_OPTIONS would be {@code javaToolOptions} (null: none), with the agent loaded
   * as {@code agent} says.
   */
  public static Map<String, String> of(Peer self, PeersFile peers, Path agentSocket, AgentLoading agent,
      String javaToolOptions) {
    return Map.of(
        "BOXER_NODE_ID", Long.toString(self.id()),
        "BOXER_NODE_ADDRESS", self.externalIp().getHostAddress(),
        "BOXER_PEERS_FILE", peers.path().toString(),
        "BOXER_AGENT_SOCKET", agentSocket.toString(),
        "JAVA_TOOL_OPTIONS", ChildProcess.javaToolOptions(javaToolOptions, agent));
  }
}
