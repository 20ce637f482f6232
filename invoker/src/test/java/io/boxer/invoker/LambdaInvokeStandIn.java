package io.boxer.invoker;

import com.google.gson.JsonObject;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.boxer.proto.function.v1.FunctionRunResult;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for the Lambda Invoke API on loopback, as the AWS Lambda API reference documents it:
 * {@code POST /2015-03-31/functions/{FunctionName}/invocations} with {@code X-Amz-Invocation-Type}
 * (RequestResponse, Event or DryRun) and optional {@code X-Amz-Log-Type}; answers 200 with the function's
 * response and {@code X-Amz-Executed-Version} (plus {@code X-Amz-Function-Error} when the function failed), 202
 * for Event, and errors as JSON {@code {"Type":"User","message":...}} with {@code x-amzn-ErrorType}, e.g. 404
 * ResourceNotFoundException for an unknown function, 403 InvalidSignatureException unless the request is SigV4-signed
 * by {@link #ACCESS_KEY}/{@link #SECRET_KEY}. Every answer has {@code x-amzn-RequestId}. Records every request;
 * {@link Behaviour} decides what a deployed function answers.
 */
final class LambdaInvokeStandIn implements AutoCloseable {
  static final String ACCOUNT = "123456789012";
  private static final Pattern INVOKE_PATH = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations");
  private static final Set<String> INVOCATION_TYPES = Set.of("RequestResponse", "Event", "DryRun");

  /** One request as received; header names in lower case. */
  record Request(String method, String path, Map<String, String> headers, byte[] body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }

    String bodyText() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  /** What one deployed function answers to its {@code arrival}-th invocation (0-based, across all functions). */
  @FunctionalInterface
  interface Behaviour {
    Reply reply(int arrival, Request request) throws Exception;
  }

  /** An HTTP answer. */
  record Reply(int status, Map<String, String> headers, String body) {
    /** The function returned {@code result}, as the Boxer handler does. */
    static Reply result(FunctionRunResult result) throws InvalidProtocolBufferException {
      return new Reply(200, Map.of("X-Amz-Executed-Version", "$LATEST", "Content-Type", "application/json"),
          JsonFormat.printer().print(result));
    }

    /** The function failed: Lambda's error payload and header (kind Handled or Unhandled). */
    static Reply functionError(String kind, String errorType, String errorMessage) {
      JsonObject body = new JsonObject();
      body.addProperty("errorType", errorType);
      body.addProperty("errorMessage", errorMessage);
      return new Reply(200, Map.of("X-Amz-Executed-Version", "$LATEST", "X-Amz-Function-Error", kind,
          "Content-Type", "application/json"), body.toString());
    }

    /** An API error before the function ran. */
    static Reply apiError(int status, String errorType, String message) {
      JsonObject body = new JsonObject();
      body.addProperty("Type", "User");
      body.addProperty("message", message);
      return new Reply(status, Map.of("x-amzn-ErrorType", errorType, "Content-Type", "application/json"),
          body.toString());
    }
  }

  /** The only credentials the stand-in accepts, as the tests give them to the SDK's default chain. */
  static final String ACCESS_KEY = "AKIDBOXERINVOKETEST";
  static final String SECRET_KEY = "invoke-test-secret-key";

  private final SigV4Verifier signatures = new SigV4Verifier(ACCESS_KEY, SECRET_KEY);
  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Set<String> functions;
  private final Behaviour behaviour;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<String> requestIds = new CopyOnWriteArrayList<>();
  private final AtomicInteger arrivals = new AtomicInteger();

  private LambdaInvokeStandIn(Set<String> functions, Behaviour behaviour) throws IOException {
    this.functions = functions;
    this.behaviour = behaviour;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 2000);
    server.createContext("/", this::handle);
    server.setExecutor(executor);
  }

  /** Serves the functions named as the path names them (e.g. {@code boxer-node}, {@code boxer-node:live}). */
  static LambdaInvokeStandIn start(Set<String> functions, Behaviour behaviour) throws IOException {
    LambdaInvokeStandIn standIn = new LambdaInvokeStandIn(functions, behaviour);
    standIn.server.start();
    return standIn;
  }

  String endpoint() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  List<Request> requests() {
    return List.copyOf(requests);
  }

  /** Forgets the requests received so far. */
  void clearRequests() {
    requests.clear();
  }

  /** The x-amzn-RequestId of every answer, in the order the answers were sent. */
  List<String> requestIds() {
    return List.copyOf(requestIds);
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Map<String, String> headers = new TreeMap<>();
      exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values.get(0)));
      Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(), headers,
          exchange.getRequestBody().readAllBytes());
      requests.add(request);
      send(exchange, answer(request));
    }
  }

  private Reply answer(Request request) {
    Matcher invoke = INVOKE_PATH.matcher(request.path());
    if (!request.method().equals("POST") || !invoke.matches()) {
      return Reply.apiError(404, "UnknownOperationException", "Unknown operation " + request.method() + " "
          + request.path());
    }
    if (request.header("authorization") == null) {
      return Reply.apiError(403, "MissingAuthenticationTokenException", "Missing Authentication Token");
    }
    String signatureProblem = signatures.problem(request.method(), request.path(), request.headers(), request.body(),
        "lambda");
    if (signatureProblem != null) {
      return Reply.apiError(403, "InvalidSignatureException", signatureProblem);
    }
    String type = request.header("x-amz-invocation-type");
    if (type != null && !INVOCATION_TYPES.contains(type)) {
      return Reply.apiError(400, "InvalidParameterValueException", "Unsupported invocation type " + type);
    }
    String name = URLDecoder.decode(invoke.group(1), StandardCharsets.UTF_8); // e.g. boxer-node%3Alive
    if (!functions.contains(name)) {
      return Reply.apiError(404, "ResourceNotFoundException",
          "Function not found: arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:" + name);
    }
    try {
      Reply reply = behaviour.reply(arrivals.getAndIncrement(), request);
      return "Event".equals(type) && reply.status() == 200 ? new Reply(202, Map.of(), "") : reply;
    } catch (Exception e) {
      return Reply.apiError(500, "ServiceException", "the stand-in's behaviour failed: " + e);
    }
  }

  private void send(HttpExchange exchange, Reply reply) throws IOException {
    String requestId = UUID.randomUUID().toString();
    requestIds.add(requestId);
    exchange.getResponseHeaders().add("x-amzn-RequestId", requestId);
    reply.headers().forEach(exchange.getResponseHeaders()::add);
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
