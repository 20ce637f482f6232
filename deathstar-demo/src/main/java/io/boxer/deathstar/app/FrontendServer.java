package io.boxer.deathstar.app;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The frontend's HTTP server (the JDK's, in place of DeathStarBench's nginx). It owns its request threads, a fixed
 * pool since each request blocks on one downstream call at a time.
 */
final class FrontendServer implements AutoCloseable {
  private static final int BACKLOG = 1024;

  private final HttpServer server;
  private final ExecutorService executor;

  private FrontendServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Binds {@code address} (port 0 picks a free one) and starts serving. */
  static FrontendServer start(InetSocketAddress address, FrontendHandler handler, int threads) throws IOException {
    HttpServer server = HttpServer.create(address, BACKLOG);
    AtomicInteger count = new AtomicInteger();
    ThreadFactory named = r -> {
      Thread t = new Thread(r, "frontend-http-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    ExecutorService executor = Executors.newFixedThreadPool(threads, named);
    server.setExecutor(executor);
    server.createContext("/", handler);
    server.start();
    return new FrontendServer(server, executor);
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Stops accepting, gives in-flight exchanges a second, then stops the request threads. */
  @Override
  public void close() {
    server.stop(1);
    executor.shutdown();
    try {
      if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
        executor.shutdownNow();
      }
    } catch (InterruptedException e) {
      executor.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
