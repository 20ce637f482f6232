package io.boxer.deathstar.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Composes posts before a read workload is measured, so timelines hold posts and reads go all the way to
 * post-storage (DeathStarBench's init script does the same). Post {@code i} is by user {@code i mod users}.
 */
final class Prefill {
  private static final int PARALLELISM = 4;

  private Prefill() {}

  /** @throws IOException for the first compose that failed */
  static void compose(FrontendClient client, int posts, int users) throws IOException, InterruptedException {
    if (posts == 0) {
      return;
    }
    ExecutorService workers = Executors.newFixedThreadPool(PARALLELISM, r -> {
      Thread t = new Thread(r, "load-prefill");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> composed = new ArrayList<>();
      for (int worker = 0; worker < PARALLELISM; worker++) {
        int first = worker;
        composed.add(workers.submit(() -> {
          for (int i = first; i < posts; i += PARALLELISM) {
            long user = i % users;
            client.compose(user, "Prefill post " + i + " by " + FrontendRequests.username(user) + ".");
          }
          return null;
        }));
      }
      for (Future<?> f : composed) {
        try {
          f.get();
        } catch (ExecutionException e) {
          Throwable cause = e.getCause();
          throw new IOException("prefill failed: " + cause.getMessage(), cause);
        }
      }
    } finally {
      workers.shutdownNow();
      workers.awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
