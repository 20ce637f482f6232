package io.boxer.deathstar.load;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

/**
 * Decides whether a frontend answer counts as a success: status 200 and a JSON body of the operation's shape
 * (reads: a {@code posts} array of posts with ids; compose: a positive {@code post_id}; follow:
 * {@code "following": true}). A fast wrong answer must not pass for throughput.
 */
final class ResponseCheck {
  private ResponseCheck() {}

  /** Null if the answer is right, else a short description of what is wrong. */
  static String problem(Operation operation, int status, String body) {
    if (status != 200) {
      return "HTTP " + status + abbreviate(body);
    }
    JsonObject json;
    try {
      JsonElement parsed = JsonParser.parseString(body);
      if (!parsed.isJsonObject()) {
        return "body is not a JSON object";
      }
      json = parsed.getAsJsonObject();
    } catch (JsonParseException e) {
      return "body is not JSON";
    }
    return switch (operation) {
      case READ_USER_TIMELINE, READ_HOME_TIMELINE -> postsProblem(json);
      case COMPOSE_POST -> positiveNumber(json, "post_id") ? null : "compose answer has no positive post_id";
      case FOLLOW -> json.has("following") && json.get("following").isJsonPrimitive()
          && json.get("following").getAsJsonPrimitive().isBoolean() && json.get("following").getAsBoolean()
          ? null : "follow answer lacks \"following\": true";
    };
  }

  private static String postsProblem(JsonObject json) {
    if (!json.has("posts") || !json.get("posts").isJsonArray()) {
      return "timeline answer has no posts array";
    }
    for (JsonElement post : json.getAsJsonArray("posts")) {
      if (!post.isJsonObject() || !positiveNumber(post.getAsJsonObject(), "post_id")) {
        return "timeline answer has a post without a positive post_id";
      }
    }
    return null;
  }

  private static boolean positiveNumber(JsonObject json, String field) {
    JsonElement value = json.get(field);
    return value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()
        && value.getAsLong() > 0;
  }

  private static String abbreviate(String body) {
    if (body == null || body.isEmpty()) {
      return "";
    }
    String oneLine = body.replace('\n', ' ');
    return ": " + (oneLine.length() <= 120 ? oneLine : oneLine.substring(0, 117) + "...");
  }
}
