package io.boxer.agent.internal;

/**
 * The warm port pool's settings ({@link WarmPorts}, docs/warm-connects.md), validated. Immutable.
 *
 * @param portsPerEndpoint the most primed ports kept ready per member endpoint (system property
 *     {@value #PORTS_PROPERTY}), 0..{@value #MAX_PORTS_PER_ENDPOINT}; 0 turns the pool off (every connect to a
 *     member is primed as it happens)
 * @param refreshMillis how often a ready port is primed again (system property {@value #REFRESH_PROPERTY}),
 *     {@value #MIN_REFRESH_MILLIS}..{@value #MAX_REFRESH_MILLIS}; a port not refreshed for twice this long is
 *     never handed out. Must be at most half of how long the remote NAT keeps an unanswered SYN's state.
 */
public record WarmSettings(int portsPerEndpoint, int refreshMillis) {

  public static final String PORTS_PROPERTY = "boxer.warm.ports";
  public static final String REFRESH_PROPERTY = "boxer.warm.refresh.ms";
  public static final int DEFAULT_PORTS_PER_ENDPOINT = 4;
  public static final int MAX_PORTS_PER_ENDPOINT = 16;
  /**
   * Linux keeps an unanswered SYN's conntrack state 120 s ({@code nf_conntrack_tcp_timeout_syn_sent}); AWS does
   * not publish its NATs' figure. 15 s refreshes, and no port older than 30 s handed out, assume 30 s.
   */
  public static final int DEFAULT_REFRESH_MILLIS = 15_000;
  public static final int MIN_REFRESH_MILLIS = 1_000;
  public static final int MAX_REFRESH_MILLIS = 60_000;

  public static final WarmSettings DEFAULT = new WarmSettings(DEFAULT_PORTS_PER_ENDPOINT, DEFAULT_REFRESH_MILLIS);

  /** Whether the pool is on. */
  public boolean enabled() {
    return portsPerEndpoint > 0;
  }

  /**
   * Validates the raw settings.
   *
   * @param ports value of {@value #PORTS_PROPERTY}, null for the default
   * @param refresh value of {@value #REFRESH_PROPERTY}, null for the default
   * @throws IllegalArgumentException naming the setting, its value and the expectation
   */
  public static WarmSettings parse(String ports, String refresh) {
    int portCount = ports == null ? DEFAULT_PORTS_PER_ENDPOINT
        : AgentConfig.intSetting(PORTS_PROPERTY, ports, 0, MAX_PORTS_PER_ENDPOINT, "ports per member endpoint, 0 = off");
    int refreshMillis = refresh == null ? DEFAULT_REFRESH_MILLIS
        : AgentConfig.intSetting(REFRESH_PROPERTY, refresh, MIN_REFRESH_MILLIS, MAX_REFRESH_MILLIS, "milliseconds");
    return new WarmSettings(portCount, refreshMillis);
  }
}
