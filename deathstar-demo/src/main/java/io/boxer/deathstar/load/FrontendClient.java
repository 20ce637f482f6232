package io.boxer.deathstar.load;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** Blocking calls to the frontend, one at a time per calling thread, for the verifier and the prefill. */
public final class FrontendClient {
  private final HttpClient http;
  private final FrontendRequests requests;

  /** @param http not owned */
  public FrontendClient(HttpClient http, FrontendRequests requests) {
    this.http = http;
    this.requests = requests;
  }

  public JsonObject compose(long userId, String text) throws IOException, InterruptedException {
    return send(requests.compose(userId, text));
  }

  public JsonObject userTimeline(long userId, int start, int stop) throws IOException, InterruptedException {
    return send(requests.readUserTimeline(userId, start, stop));
  }

  public JsonObject homeTimeline(long userId, int start, int stop) throws IOException, InterruptedException {
    return send(requests.readHomeTimeline(userId, start, stop));
  }

  public JsonObject follow(long userId, long followeeId) throws IOException, InterruptedException {
    return send(requests.follow(userId, followeeId));
  }

  public JsonObject followers(long userId) throws IOException, InterruptedException {
    return send(requests.followers(userId));
  }

  public JsonObject followees(long userId) throws IOException, InterruptedException {
    return send(requests.followees(userId));
  }

  /**
   * Sends {@code request} and parses the answer.
   *
   * @throws FrontendException if the status is not 200 or the body is not a JSON object, naming the request
   * @throws IOException if the frontend cannot be reached or does not answer in time
   */
  public JsonObject send(HttpRequest request) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    String what = request.method() + " " + request.uri().getPath();
    if (response.statusCode() != 200) {
      throw new FrontendException(response.statusCode(), what + " answered HTTP " + response.statusCode() + ": "
          + response.body());
    }
    try {
      JsonElement json = JsonParser.parseString(response.body());
      if (json.isJsonObject()) {
        return json.getAsJsonObject();
      }
    } catch (JsonParseException e) {
      // reported below
    }
    throw new FrontendException(200, what + " answered 200 but not with a JSON object: " + response.body());
  }
}
