package io.boxer.testing.lambda;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the AWS Lambda Runtime API (version 2018-06-01), for tests that run a function the way Lambda
 * does: the real runtime interface client polls it for invocations and posts their responses and errors.
 * The documented endpoints, status codes and headers
 * (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html):
 *
 * <ul>
 *   <li>{@code GET /2018-06-01/runtime/invocation/next}: long poll; 200 with the event as body and the headers
 *       {@code Lambda-Runtime-Aws-Request-Id}, {@code Lambda-Runtime-Deadline-Ms} (epoch milliseconds),
 *       {@code Lambda-Runtime-Invoked-Function-Arn}, {@code Lambda-Runtime-Trace-Id};
 *   <li>{@code POST /2018-06-01/runtime/invocation/{id}/response}: 202 {@code {"status":"OK"}}; 400
 *       {@code InvalidRequestID} for an id that is not the open invocation; 413 above 6 MB;
 *   <li>{@code POST /2018-06-01/runtime/invocation/{id}/error}: 202, the body an error document and the header
 *       {@code Lambda-Runtime-Function-Error-Type};
 *   <li>{@code POST /2018-06-01/runtime/init/error}: 202.
 * </ul>
 *
 * One function: one invocation is open at a time (Lambda sends the next only after a response or error).
 * Everything is bounded: request bodies (6 MB, Lambda's response limit), the queue of invocations, the threads.
 */
public final class RuntimeApiStandIn implements AutoCloseable {
  static final String PREFIX = "/2018-06-01/runtime/";
  static final int MAX_BODY = 6 * 1024 * 1024;
  private static final Pattern INVOCATION = Pattern.compile(
      "/2018-06-01/runtime/invocation/([A-Za-z0-9-]{1,64})/(response|error)");
  private static final String FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:boxer-stand-in";

  /** How an invocation ended, as the runtime reported it. */
  public enum Kind { RESPONSE, ERROR }

  /**
   * What the runtime posted for one invocation.
   *
   * @param errorType the {@code Lambda-Runtime-Function-Error-Type} header of an error, else empty
   * @param at when it arrived
   */
  public record Outcome(Kind kind, String body, Optional<String> errorType, Instant at) {}

  private record Invocation(String requestId, byte[] event, Instant deadline) {}

  private final HttpServer server;
  private final ExecutorService executor;
  private final BlockingQueue<Invocation> queue = new LinkedBlockingQueue<>(64);
  private final Map<String, CompletableFuture<Outcome>> open = new ConcurrentHashMap<>();
  private final List<String> initErrors = new ArrayList<>();

  private RuntimeApiStandIn(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts serving on {@code bind} (port 0 picks one). */
  public static RuntimeApiStandIn start(InetSocketAddress bind) throws IOException {
    HttpServer server = HttpServer.create(bind, 16);
    // a few threads: one runtime's long poll, its posts, and a test's stray request
    ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "runtime-api-stand-in");
      t.setDaemon(true);
      return t;
    });
    RuntimeApiStandIn standIn = new RuntimeApiStandIn(server, executor);
    server.createContext(PREFIX, standIn::handle);
    server.setExecutor(executor);
    server.start();
    return standIn;
  }

  /** {@code host:port}, the value of the function's {@code AWS_LAMBDA_RUNTIME_API}. */
  public String address() {
    InetSocketAddress a = server.getAddress();
    return a.getAddress().getHostAddress() + ":" + a.getPort();
  }

  /** Queues an invocation that must end by {@code deadline}; completes with what the runtime posts for it. */
  public CompletableFuture<Outcome> invoke(byte[] event, Instant deadline) {
    return invoke(UUID.randomUUID().toString(), event, deadline);
  }

  /** Like {@link #invoke(byte[], Instant)} with a given request id. */
  public CompletableFuture<Outcome> invoke(String requestId, byte[] event, Instant deadline) {
    CompletableFuture<Outcome> outcome = new CompletableFuture<>();
    open.put(requestId, outcome);
    if (!queue.offer(new Invocation(requestId, event.clone(), deadline))) {
      open.remove(requestId);
      throw new IllegalStateException("more than 64 invocations queued");
    }
    return outcome;
  }

  /** The bodies of {@code /init/error} posts so far. */
  public synchronized List<String> initErrors() {
    return List.copyOf(initErrors);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      String method = exchange.getRequestMethod();
      if (method.equals("GET") && path.equals(PREFIX + "invocation/next")) {
        next(exchange);
        return;
      }
      byte[] body = readBounded(exchange.getRequestBody());
      if (body == null) {
        reply(exchange, 413, error("RequestEntityTooLarge", "body above " + MAX_BODY + " bytes"));
        return;
      }
      Matcher m = INVOCATION.matcher(path);
      if (method.equals("POST") && m.matches()) {
        CompletableFuture<Outcome> outcome = open.remove(m.group(1));
        if (outcome == null) {
          reply(exchange, 400, error("InvalidRequestID", "no open invocation " + m.group(1)));
          return;
        }
        boolean isError = m.group(2).equals("error");
        outcome.complete(new Outcome(isError ? Kind.ERROR : Kind.RESPONSE, new String(body, StandardCharsets.UTF_8),
            isError ? Optional.ofNullable(exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type"))
                : Optional.empty(), Instant.now()));
        reply(exchange, 202, "{\"status\":\"OK\"}");
      } else if (method.equals("POST") && path.equals(PREFIX + "init/error")) {
        synchronized (this) {
          initErrors.add(new String(body, StandardCharsets.UTF_8));
        }
        reply(exchange, 202, "{\"status\":\"OK\"}");
      } else {
        reply(exchange, 404, error("NotFound", method + " " + path));
      }
    }
  }

  /** The long poll: waits for the next invocation as long as the stand-in runs. */
  private void next(HttpExchange exchange) throws IOException {
    Invocation invocation;
    try {
      invocation = queue.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reply(exchange, 500, error("ServiceUnavailable", "stand-in stopping"));
      return;
    }
    var headers = exchange.getResponseHeaders();
    headers.set("Content-Type", "application/json");
    headers.set("Lambda-Runtime-Aws-Request-Id", invocation.requestId());
    headers.set("Lambda-Runtime-Deadline-Ms", Long.toString(invocation.deadline().toEpochMilli()));
    headers.set("Lambda-Runtime-Invoked-Function-Arn", FUNCTION_ARN);
    headers.set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0");
    exchange.sendResponseHeaders(200, invocation.event().length == 0 ? -1 : invocation.event().length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(invocation.event());
    }
  }

  private static byte[] readBounded(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY + 1);
    return body.length > MAX_BODY ? null : body;
  }

  private static String error(String type, String message) {
    return "{\"errorType\":\"" + type + "\",\"errorMessage\":\"" + message.replace("\"", "'") + "\"}";
  }

  private static void reply(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Stops serving; a runtime's open long poll ends with a 500, as when Lambda shuts an environment down. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    open.values().forEach(f -> f.completeExceptionally(new IllegalStateException("stand-in closed")));
  }
}
