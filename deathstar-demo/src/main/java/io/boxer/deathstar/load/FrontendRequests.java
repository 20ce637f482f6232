package io.boxer.deathstar.load;

import io.boxer.deathstar.app.FollowerGraph;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** Builds the frontend's HTTP requests (see the app's FrontendApi for the endpoints and parameters). Immutable. */
public final class FrontendRequests {
  private final URI target;
  private final Duration timeout;

  /**
   * @param target the frontend's base URL, e.g. {@code http://10.0.0.2:8080}
   * @param timeout each request's timeout
   */
  public FrontendRequests(URI target, Duration timeout) {
    this.target = target;
    this.timeout = timeout;
  }

  public HttpRequest compose(long userId, String text) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("username", username(userId));
    form.put("user_id", Long.toString(userId));
    form.put("text", text);
    form.put("media_ids", "[]");
    form.put("post_type", "0");
    return post("/wrk2-api/post/compose", form);
  }

  public HttpRequest readUserTimeline(long userId, int start, int stop) {
    return get("/wrk2-api/user-timeline/read?user_id=" + userId + "&start=" + start + "&stop=" + stop);
  }

  public HttpRequest readHomeTimeline(long userId, int start, int stop) {
    return get("/wrk2-api/home-timeline/read?user_id=" + userId + "&start=" + start + "&stop=" + stop);
  }

  public HttpRequest follow(long userId, long followeeId) {
    Map<String, String> form = new LinkedHashMap<>();
    form.put("user_id", Long.toString(userId));
    form.put("followee_id", Long.toString(followeeId));
    return post("/wrk2-api/user/follow", form);
  }

  public HttpRequest followers(long userId) {
    return get("/wrk2-api/user/followers?user_id=" + userId);
  }

  public HttpRequest followees(long userId) {
    return get("/wrk2-api/user/followees?user_id=" + userId);
  }

  /** The seeded username of a user id (the app's FollowerGraph.username). */
  static String username(long userId) {
    return FollowerGraph.username(userId);
  }

  private HttpRequest get(String pathAndQuery) {
    return HttpRequest.newBuilder(target.resolve(pathAndQuery)).timeout(timeout).GET().build();
  }

  private HttpRequest post(String path, Map<String, String> form) {
    String body = form.entrySet().stream()
        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
        .collect(Collectors.joining("&"));
    return HttpRequest.newBuilder(target.resolve(path))
        .timeout(timeout)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
