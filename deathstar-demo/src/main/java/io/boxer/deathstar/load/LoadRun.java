package io.boxer.deathstar.load;

import java.io.IOException;
import java.net.http.HttpClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Runs a {@link LoadSpec}: the prefill, then each offered rate in turn (warm-up, measured window, drain), open-loop.
 * Rate {@code i} draws its arrivals and requests from {@code java.util.Random}s seeded from the spec's seed and
 * {@code i}, so a run can be repeated exactly as far as the sender is concerned.
 */
public final class LoadRun {
  private static final int HTTP_THREADS = 2;
  private static final long START_LEAD_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private LoadRun() {}

  /** Runs {@code spec} quietly. */
  public static List<RateResult> run(LoadSpec spec) throws IOException, InterruptedException {
    return run(spec, line -> {});
  }

  /**
   * Runs {@code spec}, reporting a line per step to {@code progress}.
   *
   * @return one result per rate, in the spec's order
   * @throws IOException if the prefill failed (the target is down or broken; no rate was run)
   */
  public static List<RateResult> run(LoadSpec spec, Consumer<String> progress)
      throws IOException, InterruptedException {
    return withHttp(spec, (http, requests) -> {
      prefill(spec, http, requests, progress);
      OpenLoopDriver driver = new OpenLoopDriver(http, spec.connections(), spec.maxOutstanding(),
          spec.requestTimeout());
      List<RateResult> results = new ArrayList<>();
      for (int i = 0; i < spec.rates().size(); i++) {
        double rate = spec.rates().get(i);
        progress.accept(String.format("rate %.1f req/s: %d s warm-up, %d s measured", rate,
            spec.warmup().toSeconds(), spec.duration().toSeconds()));
        long start = System.nanoTime() + START_LEAD_NANOS;
        RequestGenerator generator = new RequestGenerator(spec.workload(), requests, spec.users(),
            new Random(spec.seed() * 1_000_003L + 2L * i));
        OpenLoopSchedule schedule = new OpenLoopSchedule(rate, start, new Random(spec.seed() * 1_000_003L + 2L * i + 1));
        RateResult result = driver.run(rate, spec.warmup(), spec.duration(), generator, schedule, start);
        progress.accept(String.format("rate %.1f req/s: achieved %.1f req/s, p90 %.2f ms, errors %d%s", rate,
            result.achievedRps(), result.corrected().p90Ms(), result.errors(),
            result.firstError().isEmpty() ? "" : " (first: " + result.firstError() + ")"));
        results.add(result);
      }
      return results;
    });
  }

  /**
   * A step of load, for the burst scenario: the prefill, then, from the wall-clock time {@code originEpochMillis}
   * (waited for), open-loop arrivals at {@code spec.rates().get(0)} until {@code stepAt}, then at {@code
   * spec.rates().get(1)} until {@code spec.duration()} is over (the spec's warm-up is not used).
   *
   * @return the per-second counts, second 0 at the origin
   * @throws IllegalArgumentException if the spec has not exactly two rates, or the step is not inside the run
   */
  public static TimelineFile runStep(LoadSpec spec, Duration stepAt, long originEpochMillis,
      Consumer<String> progress) throws IOException, InterruptedException {
    if (spec.rates().size() != 2) {
      throw new IllegalArgumentException("rates : " + spec.rates() + " (expected: two, before and after the step)");
    }
    if (stepAt.isNegative() || stepAt.compareTo(spec.duration()) >= 0) {
      throw new IllegalArgumentException("step : " + stepAt.toSeconds() + " s (expected: within the "
          + spec.duration().toSeconds() + " s run)");
    }
    return withHttp(spec, (http, requests) -> {
      prefill(spec, http, requests, progress);
      long untilOrigin = originEpochMillis - System.currentTimeMillis();
      if (untilOrigin > 0) {
        Thread.sleep(untilOrigin);
      }
      long originWallMillis = System.currentTimeMillis(); // read together: other processes' times use the wall clock
      long origin = System.nanoTime();
      Timeline timeline = new Timeline(origin, (int) spec.duration().toSeconds());
      double before = spec.rates().get(0);
      double after = spec.rates().get(1);
      progress.accept(String.format("step load: %.1f req/s, %.1f req/s from %d s, %d s in all", before, after,
          stepAt.toSeconds(), spec.duration().toSeconds()));
      RequestGenerator generator = new RequestGenerator(spec.workload(), requests, spec.users(),
          new Random(spec.seed() * 1_000_003L));
      OpenLoopSchedule schedule = new OpenLoopSchedule(before, origin, after, origin + stepAt.toNanos(),
          new Random(spec.seed() * 1_000_003L + 1));
      RateResult whole = new OpenLoopDriver(http, spec.connections(), spec.maxOutstanding(), spec.requestTimeout())
          .run(Math.max(before, after), Duration.ZERO, spec.duration(), generator, schedule, origin, timeline);
      progress.accept(String.format("step load done: %d sent, %d errors%s", whole.sent(), whole.errors(),
          whole.firstError().isEmpty() ? "" : " (first: " + whole.firstError() + ")"));
      return new TimelineFile(originWallMillis, timeline.seconds());
    });
  }

  private static void prefill(LoadSpec spec, HttpClient http, FrontendRequests requests, Consumer<String> progress)
      throws IOException, InterruptedException {
    if (spec.prefillPosts() > 0) {
      progress.accept("prefill: composing " + spec.prefillPosts() + " posts");
      Prefill.compose(new FrontendClient(http, requests), spec.prefillPosts(), spec.users());
    }
  }

  private interface WithHttp<T> {
    T run(HttpClient http, FrontendRequests requests) throws IOException, InterruptedException;
  }

  /** Runs {@code body} with an HTTP client on {@value #HTTP_THREADS} daemon threads, stopped afterwards. */
  private static <T> T withHttp(LoadSpec spec, WithHttp<T> body) throws IOException, InterruptedException {
    AtomicInteger threads = new AtomicInteger();
    ExecutorService httpThreads = Executors.newFixedThreadPool(HTTP_THREADS, r -> {
      Thread t = new Thread(r, "load-http-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      HttpClient http = HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(spec.requestTimeout())
          .executor(httpThreads)
          .build();
      return body.run(http, new FrontendRequests(spec.target(), spec.requestTimeout()));
    } finally {
      httpThreads.shutdownNow();
      httpThreads.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
