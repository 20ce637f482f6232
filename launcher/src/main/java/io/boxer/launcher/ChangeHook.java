package io.boxer.launcher;

import io.boxer.node.membership.Peer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code boxer run --on-change CMD} after membership changes, on a thread of its own: never two runs at
 * once, and a burst of changes becomes one run. A change waits {@link #SETTLE} before its run, and changes that
 * come while a run is pending or running are folded into the next one, which gets the difference between the
 * list the previous run saw and the newest ({@link MemberChange}); a difference that came to nothing runs
 * nothing. A run that fails, does not start or is killed for taking too long is logged; the next change runs
 * the hook again. Owns its thread; {@link #close} stops it and kills a running hook.
 */
final class ChangeHook implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ChangeHook.class);
  /** How long a change waits for the rest of its burst before the hook runs. */
  static final Duration SETTLE = Duration.ofMillis(200);

  /** Runs the hook once; implementations bound its run time. */
  @FunctionalInterface
  interface Runner {
    Outcome run(Map<String, String> env) throws InterruptedException;
  }

  /** How one run ended. */
  record Outcome(Kind kind, int exitCode, String detail) {
    enum Kind { EXITED, TIMED_OUT, NOT_STARTED }

    boolean succeeded() {
      return kind == Kind.EXITED && exitCode == 0;
    }
  }

  private final Runner runner;
  private final Map<String, String> baseEnv;
  private final Duration settle;
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "boxer-on-change");
    t.setDaemon(true);
    return t;
  });
  private final Object lock = new Object();
  // @GuardedBy("lock"): the newest list not yet handed to a run; null when none waits
  private List<Peer> pending;
  // only on the hook thread: the list the last run saw
  private List<Peer> seen;

  /**
   * @param initial the list the command started with (the first run reports what changed since)
   * @param baseEnv added to every run's environment (who this node is, where the peers file is)
   */
  ChangeHook(Runner runner, List<Peer> initial, Map<String, String> baseEnv) {
    this(runner, initial, baseEnv, SETTLE);
  }

  ChangeHook(Runner runner, List<Peer> initial, Map<String, String> baseEnv, Duration settle) {
    this.runner = runner;
    this.seen = List.copyOf(initial);
    this.baseEnv = Map.copyOf(baseEnv);
    this.settle = settle;
  }

  /** The member list changed to {@code members}. Any thread; never blocks. */
  void changed(List<Peer> members) {
    synchronized (lock) {
      boolean scheduled = pending != null;
      pending = List.copyOf(members);
      if (scheduled) {
        return; // the run already scheduled takes this newer list
      }
    }
    try {
      thread.schedule(this::runPending, settle.toMillis(), TimeUnit.MILLISECONDS);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      log.debug("Dropped a membership change after close.");
    }
  }

  private void runPending() {
    List<Peer> members;
    synchronized (lock) {
      members = pending;
      pending = null;
    }
    MemberChange change = MemberChange.between(seen, members);
    seen = members;
    if (change.isEmpty()) {
      return;
    }
    Map<String, String> env = new HashMap<>(baseEnv);
    env.putAll(change.environment());
    long start = System.nanoTime();
    Outcome outcome;
    try {
      outcome = runner.run(env);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    if (outcome.succeeded()) {
      log.info("On-change hook ran. joined={} left={} members={} millis={}",
          change.joined().size(), change.left().size(), change.members(), millis);
    } else {
      log.warn("On-change hook failed; the next change runs it again. outcome={} exitCode={} detail={} millis={}",
          outcome.kind(), outcome.exitCode(), outcome.detail(), millis);
    }
  }

  /** Waits until every change handed in so far has been handled (run, or found to have come to nothing). */
  void awaitHandled() throws InterruptedException, java.util.concurrent.ExecutionException {
    // after every run already scheduled: one thread, and no earlier trigger time
    thread.schedule(() -> { }, settle.toMillis(), TimeUnit.MILLISECONDS).get();
  }

  /** Stops the hook thread; a hook still running is killed. */
  @Override
  public void close() throws InterruptedException {
    thread.shutdownNow();
    if (!thread.awaitTermination(5, TimeUnit.SECONDS)) {
      log.warn("The on-change hook thread did not stop within 5 s.");
    }
  }
}
