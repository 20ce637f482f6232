package io.boxer.deathstar.run;

import io.boxer.deathstar.app.Role;
import io.boxer.deathstar.load.SteadyState;
import io.boxer.deathstar.load.TimelineFile;
import io.boxer.deathstar.load.TimelinePlot;
import io.boxer.netlab.HostProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * The burst scenario (the paper's Figure 8, right): the social network with its logic tier in functions, under
 * Boxer, one logic role given a modeled capacity; steady open-loop load on the frontend, which at {@code burstAt}
 * steps up while new instances of that role are added, as functions (at once) or as VMs (after a modeled boot).
 * Each variant runs in its own lab; the frontend finds the new instances in the peers file and spreads its calls
 * over them. Reports, per variant, when a new instance first served a call and when throughput was back in steady
 * state ({@link SteadyState}), and plots throughput over time. Not thread-safe; one run per instance.
 */
public final class BurstRun {

  /**
   * What to run.
   *
   * @param role the logic role that is scaled out (one the frontend calls)
   * @param workload the load generator's workload (it must reach {@code role})
   * @param rate offered req/s before the burst; {@code burstRate} after it
   * @param newInstances instances of {@code role} added at the burst
   * @param vmBoot the modeled boot time of a VM
   * @param concurrency the modeled capacity of each instance of {@code role}: calls at once, each held {@code
   *     serviceTime}
   */
  public record Options(List<ScaleOut> variants, Role role, String workload, double rate, double burstRate,
      Duration burstAt, Duration duration, int newInstances, Duration vmBoot, int concurrency,
      Duration serviceTime, Path out) {
    public Options {
      check(!variants.isEmpty(), "variants : [] (expected: functions, vms or both)");
      check(Role.FRONTEND.downstream().contains(role), "role : " + role.configName()
          + " (expected: a role the frontend calls: compose-post, user-timeline, home-timeline, social-graph)");
      check(rate > 0 && rate <= 10_000 && burstRate > 0 && burstRate <= 10_000,
          "rate/burst-rate : " + rate + "/" + burstRate + " (expected: 0..10000 req/s, exclusive of 0)");
      check(duration.toSeconds() >= 10 && duration.toSeconds() <= 3600, "duration : " + duration.toSeconds()
          + " s (expected: 10..3600)");
      check(burstAt.toSeconds() >= 5 && burstAt.toSeconds() + SteadyState.WINDOW_SECONDS <= duration.toSeconds(),
          "burst-at : " + burstAt.toSeconds() + " s (expected: 5.." + (duration.toSeconds()
              - SteadyState.WINDOW_SECONDS) + ", at least a steady-state window before the end)");
      check(newInstances >= 1 && newInstances <= 8, "new-instances : " + newInstances + " (expected: 1..8)");
      check(!vmBoot.isNegative() && vmBoot.toSeconds() <= 600, "vm-boot : " + vmBoot.toSeconds()
          + " s (expected: 0..600)");
      check(concurrency >= 1 && concurrency <= 1024, "concurrency : " + concurrency + " (expected: 1..1024)");
      check(serviceTime.toMillis() >= 1 && serviceTime.toMillis() <= 60_000, "service-ms : "
          + serviceTime.toMillis() + " (expected: 1..60000)");
      variants = List.copyOf(variants);
    }

    private static void check(boolean ok, String message) {
      if (!ok) {
        throw new IllegalArgumentException(message);
      }
    }

    /** Calls per second one instance of the scaled role can serve, as modeled. */
    double capacityPerInstance() {
      return concurrency * 1000.0 / serviceTime.toMillis();
    }
  }

  /**
   * One variant's outcome, times from the burst.
   *
   * @param firstServed when the first new instance answered its first call (empty: none did)
   * @param steadyState the start of the first steady window at or after the burst (empty: none before the end)
   */
  record Outcome(ScaleOut variant, TimelineFile timeline, Optional<Duration> firstServed,
      OptionalInt steadyState) {}

  /** Time for the step-load client's JVM to start before second 0 (it waits for the origin). */
  private static final Duration ORIGIN_LEAD = Duration.ofSeconds(10);
  private static final int USERS = 300;
  private static final int WARMUP_ATTEMPTS = 3;

  private final DemoSetup setup;
  private final Options options;
  private final Consumer<String> progress;

  public BurstRun(DemoSetup setup, Options options, Consumer<String> progress) {
    this.setup = setup;
    this.options = options;
    this.progress = progress;
  }

  /**
   * Runs every variant, then writes {@code burst-report.md} and {@code burst-throughput.png}.
   *
   * @return the report
   * @throws IOException when a variant failed (the report of the others is still written)
   */
  public String run() throws IOException, InterruptedException {
    Files.createDirectories(options.out());
    List<Outcome> outcomes = new ArrayList<>();
    Map<String, String> failures = new LinkedHashMap<>();
    for (ScaleOut variant : options.variants()) {
      progress.accept("burst, scaling out with " + variant.label());
      try {
        outcomes.add(measure(variant));
      } catch (IOException e) {
        failures.put(variant.label(), e.getMessage());
        progress.accept("variant " + variant.label() + " FAILED: " + e.getMessage());
      }
    }
    if (outcomes.isEmpty()) {
      throw new IOException("no variant could be measured: " + failures);
    }
    String report = report(options, outcomes);
    Files.writeString(options.out().resolve("burst-report.md"), report, StandardCharsets.UTF_8);
    Map<String, TimelineFile> timelines = new LinkedHashMap<>();
    outcomes.forEach(o -> timelines.put("new instances as " + o.variant().label(), o.timeline()));
    TimelinePlot.write(timelines, String.format(Locale.ROOT, "Burst at %d s: %.0f -> %.0f req/s, %d new %s "
        + "instances", options.burstAt().toSeconds(), options.rate(), options.burstRate(), options.newInstances(),
        options.role().configName()), options.out());
    if (!failures.isEmpty()) {
      throw new IOException("variants failed: " + failures + " (the others are reported in " + options.out() + ")");
    }
    return report;
  }

  private Outcome measure(ScaleOut variant) throws IOException, InterruptedException {
    Path dir = options.out().resolve(variant.label());
    Role role = options.role();
    Map<String, String> capacity = Map.of(
        "DEATHSTAR_CAPACITY_CONCURRENCY", Integer.toString(options.concurrency()),
        "DEATHSTAR_CAPACITY_SERVICE_MS", Long.toString(options.serviceTime().toMillis()));
    int extra = options.newInstances();
    DeploymentRun.Extension extension = new DeploymentRun.Extension(variant == ScaleOut.FUNCTIONS ? extra : 0,
        variant == ScaleOut.VMS ? extra : 0, Optional.of(role), capacity);
    try (DeploymentRun run = DeploymentRun.start(Deployment.FUNCTIONS_BOXER, setup, dir.resolve("logs"), progress,
        extension)) {
      warmUp(run, dir);
      long origin = System.currentTimeMillis() + ORIGIN_LEAD.toMillis();
      HostProcess load = run.startClient("step-load", List.of("step-load", "--target", run.frontendUrl(),
          "--workload", options.workload(), "--rate", Double.toString(options.rate()),
          "--step-rate", Double.toString(options.burstRate()),
          "--step-at", Long.toString(options.burstAt().toSeconds()),
          "--duration", Long.toString(options.duration().toSeconds()),
          "--origin-epoch-ms", Long.toString(origin), "--users", Integer.toString(USERS),
          "--out", dir.toString()));
      long burst = origin + options.burstAt().toMillis();
      Duration boot = variant.bootDelay(options.vmBoot());
      progress.accept(String.format(Locale.ROOT, "load %.0f req/s from second 0, %.0f req/s from second %d; "
          + "%d new %s instance(s) as %s at the burst%s", options.rate(), options.burstRate(),
          options.burstAt().toSeconds(), extra, role.configName(), variant.label(),
          boot.isZero() ? "" : " + " + boot.toSeconds() + " s modeled VM boot"));
      sleepUntil(burst + boot.toMillis());
      List<String> names = new ArrayList<>();
      for (int i = 0; i < extra; i++) {
        String name = role.configName() + "-new-" + (i + 1);
        run.startService(name, role, variant.host(i));
        names.add(name);
      }
      int exit = load.awaitExitEchoing(options.duration().plus(ORIGIN_LEAD).plusSeconds(120),
          line -> progress.accept("  " + line));
      if (exit != 0) {
        throw new IOException("step-load failed (exit " + exit + "), see " + dir.resolve("logs/step-load.log"));
      }
      TimelineFile timeline = TimelineFile.read(dir.resolve(TimelineFile.NAME));
      OptionalLong first = firstServed(run, names);
      Optional<Duration> firstServed = first.isPresent()
          ? Optional.of(Duration.ofMillis(first.getAsLong() - (timeline.originEpochMillis()
              + options.burstAt().toMillis())))
          : Optional.empty();
      OptionalInt steady = SteadyState.after(timeline.seconds(), (int) options.burstAt().toSeconds());
      Outcome outcome = new Outcome(variant, timeline, firstServed,
          steady.isPresent() ? OptionalInt.of(steady.getAsInt() - (int) options.burstAt().toSeconds())
              : OptionalInt.empty());
      progress.accept(variant.label() + ": first request served by a new instance " + seconds(outcome.firstServed())
          + " after the burst, steady state " + seconds(outcome.steadyState()) + " after it");
      return outcome;
    }
  }

  /**
   * Prefill and 10 s of load at the steady rate, unmeasured: cold JVMs answer slowly for a while, and reads need
   * posts. On a loaded machine the very first calls through nine cold JVMs can exceed the services' 5 s
   * deadline, so the warm-up is tried up to {@value #WARMUP_ATTEMPTS} times (the prefill is idempotent enough:
   * more posts per user do not change what a read measures).
   */
  private void warmUp(DeploymentRun run, Path dir) throws IOException, InterruptedException {
    for (int attempt = 1; ; attempt++) {
      progress.accept("warm-up (not measured): prefill, then 10 s at " + options.rate() + " req/s");
      int warmed = run.runClient("warmup-" + attempt, List.of("load", "--target", run.frontendUrl(), "--workload",
          options.workload(), "--rates", Double.toString(options.rate()), "--warmup", "0", "--duration", "10",
          "--users", Integer.toString(USERS), "--label", "warmup", "--out", dir.resolve("warmup").toString()),
          Duration.ofSeconds(300), false);
      if (warmed == 0) {
        return;
      }
      Path log = dir.resolve("logs/warmup-" + attempt + ".log");
      if (attempt == WARMUP_ATTEMPTS) {
        throw new IOException("warm-up load failed " + attempt + " times (exit " + warmed + "), see " + log);
      }
      progress.accept("warm-up attempt " + attempt + " failed (exit " + warmed + "), see " + log + "; again");
    }
  }

  /** The earliest first-served time (epoch ms) the new instances recorded; empty if none served. */
  private static OptionalLong firstServed(DeploymentRun run, List<String> names) throws IOException {
    OptionalLong earliest = OptionalLong.empty();
    for (String name : names) {
      Path file = run.servedFile(name);
      if (!Files.exists(file)) {
        continue;
      }
      String text = Files.readString(file, StandardCharsets.UTF_8).strip();
      long millis;
      try {
        millis = Long.parseLong(text);
      } catch (NumberFormatException e) {
        throw new IOException(file + ": '" + text + "' (expected: epoch milliseconds)");
      }
      if (earliest.isEmpty() || millis < earliest.getAsLong()) {
        earliest = OptionalLong.of(millis);
      }
    }
    return earliest;
  }

  /** The report, as Markdown: what ran, what is modeled, and per variant the two times. */
  static String report(Options options, List<Outcome> outcomes) {
    StringBuilder out = new StringBuilder("# Burst: new logic-tier instances as functions versus VMs\n\n");
    out.append(String.format(Locale.ROOT, "Workload %s, open-loop: %.0f req/s, stepping to %.0f req/s at %d s, "
        + "%d s in all. At the burst %d new %s instance(s) are added: as functions at once, as VMs after a "
        + "modeled boot of %d s. Modeled capacity of each %s instance: %d calls at once, %d ms each (%.0f req/s).%n%n",
        options.workload(), options.rate(), options.burstRate(), options.burstAt().toSeconds(),
        options.duration().toSeconds(), options.newInstances(), options.role().configName(),
        options.vmBoot().toSeconds(), options.role().configName(), options.concurrency(),
        options.serviceTime().toMillis(), options.capacityPerInstance()));
    out.append(String.format(Locale.ROOT, "Times from the burst. Steady state: the start of the first %d s window "
        + "at or after the burst from which on every %d s window (but the run's last %d s) has its successful "
        + "answers within %d%% of the requests offered in it.%n%n", SteadyState.WINDOW_SECONDS,
        SteadyState.WINDOW_SECONDS, SteadyState.EDGE_SECONDS, SteadyState.TOLERANCE_PERCENT));
    out.append("| new instances as | first request served by a new instance | steady state |\n|---|---:|---:|\n");
    for (Outcome o : outcomes) {
      out.append("| ").append(o.variant().label()).append(" | ").append(seconds(o.firstServed())).append(" | ")
          .append(seconds(o.steadyState())).append(" |\n");
    }
    return out.toString();
  }

  private static String seconds(Optional<Duration> d) {
    return d.map(x -> String.format(Locale.ROOT, "%.1f s", x.toMillis() / 1000.0)).orElse("never");
  }

  private static String seconds(OptionalInt s) {
    return s.isPresent() ? s.getAsInt() + " s" : "not within the run";
  }

  private static void sleepUntil(long epochMillis) throws InterruptedException {
    long left = epochMillis - System.currentTimeMillis();
    if (left > 0) {
      Thread.sleep(left);
    }
  }
}
