package io.boxer.deathstar.app;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes frontend HTTP requests to {@link FrontendApi} and writes JSON. Errors are JSON too, {@code {"error": ...}}:
 * 400 for bad parameters, 404 for an unknown path or user, 405 for a wrong method, 413 for a body over 64 KiB,
 * 503/504 when a service is unavailable or too slow, 502 for other downstream failures.
 */
final class FrontendHandler implements HttpHandler {
  private static final Logger log = LoggerFactory.getLogger(FrontendHandler.class);
  private static final int MAX_BODY_BYTES = 64 * 1024;
  // JSON for API clients, not for embedding in HTML: no \u0027-style escapes of ' < > = &
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private record Route(String method, Function<HttpParams, JsonObject> operation) {}

  private final Map<String, Route> routes;

  FrontendHandler(FrontendApi api) {
    this.routes = Map.of(
        "/wrk2-api/post/compose", new Route("POST", api::compose),
        "/wrk2-api/user-timeline/read", new Route("GET", api::readUserTimeline),
        "/wrk2-api/home-timeline/read", new Route("GET", api::readHomeTimeline),
        "/wrk2-api/user/follow", new Route("POST", api::follow),
        "/wrk2-api/user/unfollow", new Route("POST", api::unfollow),
        "/wrk2-api/user/followers", new Route("GET", api::followers),
        "/wrk2-api/user/followees", new Route("GET", api::followees));
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Route route = routes.get(exchange.getRequestURI().getPath());
      if (route == null) {
        send(exchange, 404, error("no such endpoint " + exchange.getRequestURI().getPath()));
        return;
      }
      if (!route.method().equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", route.method());
        send(exchange, 405, error("use " + route.method()));
        return;
      }
      byte[] body = readBody(exchange.getRequestBody());
      if (body == null) {
        send(exchange, 413, error("request body over " + MAX_BODY_BYTES + " bytes"));
        return;
      }
      JsonObject answer;
      try {
        HttpParams params = HttpParams.parse(exchange.getRequestURI().getRawQuery(),
            new String(body, StandardCharsets.UTF_8));
        answer = route.operation().apply(params);
      } catch (IllegalArgumentException e) {
        send(exchange, 400, error(e.getMessage()));
        return;
      } catch (StatusRuntimeException e) {
        send(exchange, httpStatus(e.getStatus()), error(e.getStatus().getCode() + ": " + e.getStatus().getDescription()));
        return;
      }
      send(exchange, 200, answer);
    } catch (RuntimeException e) {
      log.error("Frontend request failed. path={}", exchange.getRequestURI().getPath(), e);
      throw e;
    }
  }

  /** The HTTP status for a failed downstream call. */
  static int httpStatus(Status status) {
    return switch (status.getCode()) {
      case INVALID_ARGUMENT, OUT_OF_RANGE -> 400;
      case NOT_FOUND -> 404;
      case UNAVAILABLE, RESOURCE_EXHAUSTED -> 503;
      case DEADLINE_EXCEEDED -> 504;
      default -> 502;
    };
  }

  /** The body, or null if it is longer than the limit. */
  private static byte[] readBody(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
    return body.length > MAX_BODY_BYTES ? null : body;
  }

  private static JsonObject error(String message) {
    JsonObject json = new JsonObject();
    json.addProperty("error", message);
    return json;
  }

  private static void send(HttpExchange exchange, int status, JsonObject json) throws IOException {
    byte[] bytes = GSON.toJson(json).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
