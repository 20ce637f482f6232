package io.boxer.deathstar.load;

import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends one offered rate, open-loop, like wrk2: the calling thread wakes at each intended time of an
 * {@link OpenLoopSchedule} and hands the request on without waiting for any answer. At most {@code connections}
 * requests are in flight (so at most that many HTTP/1.1 connections); later ones wait in a queue, their latency
 * still counted from the intended time. Beyond {@code maxOutstanding} queued plus in flight, arrivals are dropped
 * and counted as errors, which bounds memory when the target stalls.
 *
 * <p>Bounded in time and count: arrivals stop at the end of the window (and after 3x the expected count), then
 * the driver waits at most one request timeout plus 5 s for stragglers, and counts those still out as errors.
 */
final class OpenLoopDriver {
  private static final Duration DRAIN_GRACE = Duration.ofSeconds(5);

  private final HttpClient client;
  private final int connections;
  private final int maxOutstanding;
  private final Duration requestTimeout;

  /** @param client not owned */
  OpenLoopDriver(HttpClient client, int connections, int maxOutstanding, Duration requestTimeout) {
    this.client = client;
    this.connections = connections;
    this.maxOutstanding = maxOutstanding;
    this.requestTimeout = requestTimeout;
  }

  private record Planned(RequestGenerator.Drawn drawn, long intendedNanos) {}

  /** Told of every arrival and answer, warm-up included, on the sender's and the HTTP client's threads. */
  interface Listener {
    Listener NONE = new Listener() {
      @Override
      public void offered(long intendedNanos) {}

      @Override
      public void answered(long doneNanos, boolean success) {}
    };

    /** A request was due at {@code intendedNanos} (sent, queued or dropped). */
    void offered(long intendedNanos);

    /** A request ended at {@code doneNanos}: answered, failed or dropped. */
    void answered(long doneNanos, boolean success);
  }

  /** Runs {@code warmup} then the measured {@code duration} at {@code ratePerSecond}; blocks until done. */
  RateResult run(double ratePerSecond, Duration warmup, Duration duration, RequestGenerator generator,
      OpenLoopSchedule schedule, long startNanos) throws InterruptedException {
    return run(ratePerSecond, warmup, duration, generator, schedule, startNanos, Listener.NONE);
  }

  /**
   * As above, telling {@code listener} of every arrival and answer.
   *
   * @param ratePerSecond the highest rate {@code schedule} sends, which bounds the arrivals
   */
  RateResult run(double ratePerSecond, Duration warmup, Duration duration, RequestGenerator generator,
      OpenLoopSchedule schedule, long startNanos, Listener listener) throws InterruptedException {
    long windowStart = startNanos + warmup.toNanos();
    long windowEnd = windowStart + duration.toNanos();
    RateMeasurement measurement = new RateMeasurement(ratePerSecond, windowStart, windowEnd);
    Flight flight = new Flight(measurement, listener);
    double expected = ratePerSecond * (warmup.toNanos() + duration.toNanos()) / 1e9;
    long maxArrivals = (long) Math.ceil(expected * 3) + 100;
    for (long arrivals = 0; arrivals < maxArrivals; arrivals++) {
      long intended = schedule.nextNanos();
      if (intended >= windowEnd) {
        break;
      }
      sleepUntil(intended);
      RequestGenerator.Drawn drawn = generator.next();
      listener.offered(intended);
      if (flight.outstanding.get() >= maxOutstanding) {
        measurement.dropped(intended);
        listener.answered(intended, false);
        continue;
      }
      measurement.started(intended);
      flight.outstanding.incrementAndGet();
      flight.queue.add(new Planned(drawn, intended));
      flight.dispatch();
    }
    sleepUntil(windowEnd);
    long drainDeadline = System.nanoTime() + requestTimeout.toNanos() + DRAIN_GRACE.toNanos();
    while (flight.outstanding.get() > 0 && System.nanoTime() < drainDeadline) {
      Thread.sleep(10);
    }
    flight.queue.clear();
    return measurement.seal();
  }

  /** The requests of one rate between arrival and answer. Thread-safe. */
  private final class Flight {
    final RateMeasurement measurement;
    final Listener listener;
    final Queue<Planned> queue = new ConcurrentLinkedQueue<>();
    final Semaphore inFlight = new Semaphore(connections);
    final AtomicInteger outstanding = new AtomicInteger(); // queued + in flight

    Flight(RateMeasurement measurement, Listener listener) {
      this.measurement = measurement;
      this.listener = listener;
    }

    /** Sends queued requests while a connection is free; called after each enqueue and each answer. */
    void dispatch() {
      while (!queue.isEmpty() && inFlight.tryAcquire()) {
        Planned next = queue.poll();
        if (next == null) {
          inFlight.release();
          return;
        }
        send(next);
      }
    }

    private void send(Planned planned) {
      long sentNanos = System.nanoTime();
      try {
        client.sendAsync(planned.drawn().request(), HttpResponse.BodyHandlers.ofString())
            .whenComplete((response, failure) -> answered(planned, sentNanos, response, failure));
      } catch (RuntimeException e) {
        answered(planned, sentNanos, null, e);
      }
    }

    private void answered(Planned planned, long sentNanos, HttpResponse<String> response, Throwable failure) {
      long done = System.nanoTime();
      String problem = failure != null
          ? describe(failure)
          : ResponseCheck.problem(planned.drawn().operation(), response.statusCode(), response.body());
      measurement.answered(planned.intendedNanos(), sentNanos, done, problem);
      listener.answered(done, problem == null);
      outstanding.decrementAndGet();
      inFlight.release();
      dispatch();
    }
  }

  private static String describe(Throwable failure) {
    Throwable cause = failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause() : failure;
    if (cause instanceof HttpTimeoutException) {
      return "timed out";
    }
    return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
  }

  /** Parks until {@code deadlineNanos}; returns at once if it has passed (the schedule then catches up). */
  static void sleepUntil(long deadlineNanos) throws InterruptedException {
    long remaining;
    while ((remaining = deadlineNanos - System.nanoTime()) > 0) {
      LockSupport.parkNanos(remaining);
      if (Thread.interrupted()) {
        throw new InterruptedException("load run interrupted");
      }
    }
  }
}
