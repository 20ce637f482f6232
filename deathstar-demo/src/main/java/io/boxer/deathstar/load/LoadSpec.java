package io.boxer.deathstar.load;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * What one load run does. Build with {@link #of} and adjust with the {@code with*} methods.
 *
 * @param label the deployment's name in reports and plots, e.g. {@code boxer} or {@code vm}
 * @param target the frontend's base URL, {@code http://HOST:PORT}
 * @param rates offered rates in requests per second, run in this order
 * @param warmup per rate, sent but not measured
 * @param duration per rate, measured
 * @param users the seeded user count (must match the social-graph's {@code graph.users})
 * @param connections most requests in flight at once (HTTP/1.1 connections)
 * @param maxOutstanding most requests queued plus in flight; arrivals beyond are dropped as errors
 * @param requestTimeout per request; a request not answered in time is an error
 * @param seed seeds the arrival times and the request draws, so runs are repeatable
 * @param prefillPosts posts composed (one per user, round-robin, not measured) before the first rate, so reads
 *     find posts
 */
public record LoadSpec(
    String label,
    URI target,
    Workload workload,
    List<Double> rates,
    Duration warmup,
    Duration duration,
    int users,
    int connections,
    int maxOutstanding,
    Duration requestTimeout,
    long seed,
    int prefillPosts) {

  public LoadSpec {
    rates = List.copyOf(rates);
    check(!label.isBlank() && label.matches("[A-Za-z0-9._-]+"), "label", label,
        "letters, digits, '.', '_' or '-'");
    check("http".equals(target.getScheme()) && target.getHost() != null
        && (target.getRawPath() == null || target.getRawPath().isEmpty() || target.getRawPath().equals("/"))
        && target.getRawQuery() == null, "target", target, "http://HOST:PORT");
    check(!rates.isEmpty(), "rates", rates, "at least one rate");
    for (double rate : rates) {
      check(rate > 0 && rate <= 1_000_000, "rates", rate, "> 0 and <= 1000000 requests/s");
    }
    check(!warmup.isNegative() && warmup.compareTo(Duration.ofHours(1)) <= 0, "warmup", warmup, "0..3600 s");
    check(duration.compareTo(Duration.ofMillis(100)) >= 0 && duration.compareTo(Duration.ofHours(1)) <= 0,
        "duration", duration, "0.1..3600 s");
    check(users >= 2, "users", users, ">= 2");
    check(connections >= 1 && connections <= 10_000, "connections", connections, "1..10000");
    check(maxOutstanding >= connections && maxOutstanding <= 1_000_000, "maxOutstanding", maxOutstanding,
        ">= connections and <= 1000000");
    check(requestTimeout.compareTo(Duration.ofMillis(1)) >= 0 && requestTimeout.compareTo(Duration.ofMinutes(10)) <= 0,
        "requestTimeout", requestTimeout, "1 ms..10 min");
    check(prefillPosts >= 0 && prefillPosts <= 1_000_000, "prefillPosts", prefillPosts, "0..1000000");
  }

  /**
   * A spec with the defaults: 10 s warm-up and 30 s per rate, 300 users, 64 connections, 10000 outstanding,
   * 10 s request timeout, seed 1, and one prefilled post per user when the workload reads timelines.
   */
  public static LoadSpec of(String label, URI target, Workload workload, List<Double> rates) {
    int users = 300;
    return new LoadSpec(label, target, workload, rates, Duration.ofSeconds(10), Duration.ofSeconds(30), users, 64,
        10_000, Duration.ofSeconds(10), 1, workload.reads() ? users : 0);
  }

  public LoadSpec withTiming(Duration warmup, Duration duration) {
    return new LoadSpec(label, target, workload, rates, warmup, duration, users, connections, maxOutstanding,
        requestTimeout, seed, prefillPosts);
  }

  /** Also sets prefillPosts to {@code users} when the workload reads timelines, else 0. */
  public LoadSpec withUsers(int users) {
    return new LoadSpec(label, target, workload, rates, warmup, duration, users, connections, maxOutstanding,
        requestTimeout, seed, workload.reads() ? users : 0);
  }

  public LoadSpec withConnections(int connections, int maxOutstanding) {
    return new LoadSpec(label, target, workload, rates, warmup, duration, users, connections, maxOutstanding,
        requestTimeout, seed, prefillPosts);
  }

  public LoadSpec withRequestTimeout(Duration requestTimeout) {
    return new LoadSpec(label, target, workload, rates, warmup, duration, users, connections, maxOutstanding,
        requestTimeout, seed, prefillPosts);
  }

  public LoadSpec withSeed(long seed) {
    return new LoadSpec(label, target, workload, rates, warmup, duration, users, connections, maxOutstanding,
        requestTimeout, seed, prefillPosts);
  }

  public LoadSpec withPrefillPosts(int prefillPosts) {
    return new LoadSpec(label, target, workload, rates, warmup, duration, users, connections, maxOutstanding,
        requestTimeout, seed, prefillPosts);
  }

  private static void check(boolean ok, String field, Object value, String expected) {
    if (!ok) {
      throw new IllegalArgumentException(field + " : " + value + " (expected: " + expected + ")");
    }
  }
}
