package io.boxer.agent.internal;

import java.nio.file.Path;

/**
 * The agent's validated configuration. Immutable.
 *
 * @param socketPath the local node's agent socket (env {@value #SOCKET_ENV})
 * @param primeTimeoutMillis how long a connect to a member waits for the node's PrimeReply (system property
 *     {@value #PRIME_TIMEOUT_PROPERTY}), 1..{@value #MAX_PRIME_TIMEOUT_MILLIS}
 * @param firstViewWaitMillis how long the first connect waits for the first membership view
 * @param warm the warm port pool's settings
 * @param rewriteCache where the classes the agent rewrites are kept for the next JVM
 */
public record AgentConfig(Path socketPath, int primeTimeoutMillis, int firstViewWaitMillis, WarmSettings warm,
    RewriteCacheDir rewriteCache) {

  public static final String SOCKET_ENV = "BOXER_AGENT_SOCKET";
  public static final String PRIME_TIMEOUT_PROPERTY = "boxer.prime.timeout.ms";
  /**
   * Long enough for a relayed connect, which the node lets wait up to the seed's ticket lifetime (10 s): under
   * loss its TCP connects to the relay retransmit SYNs after 1, 3 and 7 s. A direct prime ends sooner (the node
   * gives up on it after 5 s).
   */
  public static final int DEFAULT_PRIME_TIMEOUT_MILLIS = 10_000;
  public static final int MAX_PRIME_TIMEOUT_MILLIS = 600_000;
  /**
   * The agent asks the node for its view when the JVM first touches the network (not at JVM start): on a loaded
   * host that first answer can take over a second, and a connect to a member made before it would not be primed.
   * The wait ends as soon as the view arrives or the first attempt to reach the node fails.
   */
  public static final int FIRST_VIEW_WAIT_MILLIS = 5000;

  /** {@link #parse(String, String, String, String)} with the warm port pool's defaults. */
  public static AgentConfig parse(String socket, String primeTimeout) {
    return parse(socket, primeTimeout, null, null);
  }

  /**
   * Validates the raw settings; the result keeps no rewritten classes ({@link #withRewriteCache} sets where).
   *
   * @param socket value of {@value #SOCKET_ENV}, non-null
   * @param primeTimeout value of {@value #PRIME_TIMEOUT_PROPERTY}, null for the default
   * @param warmPorts value of {@value WarmSettings#PORTS_PROPERTY}, null for the default
   * @param warmRefresh value of {@value WarmSettings#REFRESH_PROPERTY}, null for the default
   * @throws IllegalArgumentException naming the setting, its value and the expectation
   */
  public static AgentConfig parse(String socket, String primeTimeout, String warmPorts, String warmRefresh) {
    if (socket == null || socket.isBlank()) {
      throw new IllegalArgumentException(SOCKET_ENV + " : '" + socket + "' (expected: path of the node's agent socket)");
    }
    Path path;
    try {
      path = Path.of(socket);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(SOCKET_ENV + " : '" + socket + "' (expected: a valid path): " + e.getMessage());
    }
    int timeout = primeTimeout == null ? DEFAULT_PRIME_TIMEOUT_MILLIS
        : intSetting(PRIME_TIMEOUT_PROPERTY, primeTimeout, 1, MAX_PRIME_TIMEOUT_MILLIS, "milliseconds");
    return new AgentConfig(path, timeout, FIRST_VIEW_WAIT_MILLIS, WarmSettings.parse(warmPorts, warmRefresh),
        RewriteCacheDir.NONE);
  }

  /** This configuration with the classes it rewrites kept in {@code dir}. */
  public AgentConfig withRewriteCache(RewriteCacheDir dir) {
    return new AgentConfig(socketPath, primeTimeoutMillis, firstViewWaitMillis, warm, dir);
  }

  /**
   * An integer setting in {@code min..max}.
   *
   * @throws IllegalArgumentException "name : 'value' (expected: what, an integer in min..max)"
   */
  static int intSetting(String name, String value, int min, int max, String what) {
    String expected = " (expected: " + what + ", an integer in " + min + ".." + max + ")";
    int parsed;
    try {
      parsed = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " : '" + value + "'" + expected);
    }
    if (parsed < min || parsed > max) {
      throw new IllegalArgumentException(name + " : " + parsed + expected);
    }
    return parsed;
  }
}
