package io.boxer.deathstar.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The driver against a loopback HTTP server that answers every request with an empty timeline. */
class OpenLoopDriverTest {
  private volatile long serviceMillis;
  private HttpServer server;
  private ExecutorService serverThreads;
  private HttpClient client;
  private FrontendRequests requests;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    serverThreads = Executors.newFixedThreadPool(4);
    server.setExecutor(serverThreads);
    server.createContext("/", exchange -> {
      try (exchange) {
        Thread.sleep(serviceMillis);
        byte[] body = "{\"posts\":[]}".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    server.start();
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    requests = new FrontendRequests(URI.create("http://127.0.0.1:" + server.getAddress().getPort()),
        Duration.ofSeconds(2));
  }

  @AfterEach
  void stop() {
    server.stop(0);
    serverThreads.shutdownNow();
  }

  private RateResult run(double rate, Duration duration, int connections, int maxOutstanding) throws Exception {
    OpenLoopDriver driver = new OpenLoopDriver(client, connections, maxOutstanding, Duration.ofSeconds(2));
    long start = System.nanoTime() + 10_000_000;
    RequestGenerator generator = new RequestGenerator(Workload.READ_USER_TIMELINE, requests, 10, new Random(1));
    return driver.run(rate, Duration.ofMillis(200), duration, generator,
        new OpenLoopSchedule(rate, start, new Random(2)), start);
  }

  @Test
  void fastServer_everyRequestSucceeds_atTheOfferedRate() throws Exception {
    serviceMillis = 0;

    // room for 5 s of arrivals: a loaded build machine can stall this JVM for a good part of a second, and the cap
    // on outstanding requests is stalledServer's subject, not this test's
    RateResult result = run(200, Duration.ofSeconds(1), 8, 1000);

    assertThat(result.errors()).as(result.firstError()).isZero();
    assertThat(result.successes()).isEqualTo(result.sent());
    assertThat((double) result.sent()).isCloseTo(200, within(60.0)); // Poisson: sd ~14
    assertThat(result.achievedRps()).isCloseTo(200, within(60.0));
    assertThat(result.corrected().count()).isEqualTo(result.successes());
  }

  @Test
  void slowServer_correctedLatencyIncludesQueueing_uncorrectedDoesNot() throws Exception {
    serviceMillis = 50; // one connection: at most 20 req/s

    RateResult result = run(40, Duration.ofMillis(500), 1, 1000);

    assertThat(result.errors()).isZero();
    assertThat(result.uncorrected().p90Ms()).isLessThan(200);
    assertThat(result.corrected().p90Ms()).isGreaterThan(2 * result.uncorrected().p90Ms());
  }

  @Test
  void stalledServer_dropsArrivalsBeyondTheCap_asErrors() throws Exception {
    serviceMillis = 300;

    RateResult result = run(100, Duration.ofMillis(500), 1, 2);

    assertThat(result.dropped()).isPositive();
    assertThat(result.errors()).isGreaterThanOrEqualTo(result.dropped());
    assertThat(result.firstError()).isNotEmpty();
  }
}
