package io.boxer.deathstar.load;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.boxer.deathstar.app.FollowerGraph;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Checks a running deployment end to end through its frontend, every call path included: the seeded graph is
 * there; a follow shows on both sides; a composed post (with a URL and an @mention) comes back with the URL
 * shortened and the mention resolved, and is in its author's user timeline, its new follower's home timeline and
 * the mentioned user's home timeline. Writes one post and one follow edge per run (unique text, so runs can repeat).
 */
public final class Verifier {
  private static final int AUTHOR = 0;
  private static final int FOLLOWER = 1;
  private static final int MENTIONED = 2;
  private static final int TIMELINE_WINDOW = 100;

  private final FrontendClient client;
  private final FollowerGraph graph;

  /** @param users the seeded user count (at least 3) */
  public Verifier(FrontendClient client, int users) {
    if (users < 3) {
      throw new IllegalArgumentException("users : " + users + " (expected: >= 3)");
    }
    this.client = client;
    this.graph = new FollowerGraph(users);
  }

  /**
   * Runs every check, stopping at the first failure.
   *
   * @return one line per passed check
   * @throws VerificationException describing the first mismatch
   * @throws IOException if the frontend is unreachable or answers with an error status
   */
  public List<String> verify() throws VerificationException, IOException, InterruptedException {
    List<String> passed = new ArrayList<>();
    checkSeededGraph(passed);
    checkFollow(passed);
    checkComposeAndTimelines(passed);
    return passed;
  }

  private void checkSeededGraph(List<String> passed) throws VerificationException, IOException, InterruptedException {
    SortedSet<Integer> seeded = graph.followees(AUTHOR);
    Set<Long> actual = ids(client.followees(AUTHOR), "followees");
    for (int followee : seeded) {
      if (!actual.contains((long) followee)) {
        throw new VerificationException("user " + AUTHOR + " follows " + actual + ", which lacks seeded followee "
            + followee + " of " + seeded + " (is --users " + graph.users()
            + " the social-graph's graph.users?)");
      }
    }
    passed.add("seeded graph: user " + AUTHOR + " follows its " + seeded.size() + " seeded followees");
  }

  private void checkFollow(List<String> passed) throws VerificationException, IOException, InterruptedException {
    JsonObject answer = client.follow(FOLLOWER, AUTHOR);
    if (!answer.has("following") || !answer.get("following").getAsBoolean()) {
      throw new VerificationException("follow answer lacks \"following\": true: " + answer);
    }
    if (!ids(client.followers(AUTHOR), "followers").contains((long) FOLLOWER)) {
      throw new VerificationException("after user " + FOLLOWER + " followed user " + AUTHOR + ", the followers of "
          + AUTHOR + " do not include " + FOLLOWER);
    }
    if (!ids(client.followees(FOLLOWER), "followees").contains((long) AUTHOR)) {
      throw new VerificationException("after user " + FOLLOWER + " followed user " + AUTHOR + ", the followees of "
          + FOLLOWER + " do not include " + AUTHOR);
    }
    passed.add("follow: user " + FOLLOWER + " → user " + AUTHOR + " shows in followers and followees");
  }

  private void checkComposeAndTimelines(List<String> passed)
      throws VerificationException, IOException, InterruptedException {
    String nonce = Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    String url = "https://boxer.example/verify/" + nonce;
    String mentioned = FollowerGraph.username(MENTIONED);
    String text = "Verifier post " + nonce + " links " + url + " for @" + mentioned + ".";
    JsonObject answer = client.compose(AUTHOR, text);
    long postId = longField(answer, "post_id", "compose answer");
    JsonObject post = object(answer, "post", "compose answer");
    checkPost(post, postId, text, url, mentioned);
    passed.add("compose: post " + postId + " has its URL shortened and @" + mentioned + " resolved to user "
        + MENTIONED);
    checkInTimeline(client.userTimeline(AUTHOR, 0, TIMELINE_WINDOW), postId, post,
        "user timeline of author " + AUTHOR);
    passed.add("user timeline: post " + postId + " is in its author's timeline");
    checkInTimeline(client.homeTimeline(FOLLOWER, 0, TIMELINE_WINDOW), postId, post,
        "home timeline of follower " + FOLLOWER);
    passed.add("home timeline: post " + postId + " reached follower " + FOLLOWER);
    checkInTimeline(client.homeTimeline(MENTIONED, 0, TIMELINE_WINDOW), postId, post,
        "home timeline of mentioned user " + MENTIONED);
    passed.add("home timeline: post " + postId + " reached mentioned user " + MENTIONED);
  }

  private static void checkPost(JsonObject post, long postId, String text, String url, String mentioned)
      throws VerificationException {
    if (longField(post, "post_id", "post") != postId) {
      throw new VerificationException("compose answered post_id " + postId + " but its post has " + post.get("post_id"));
    }
    JsonObject creator = object(post, "creator", "post");
    if (longField(creator, "user_id", "creator") != AUTHOR
        || !FollowerGraph.username(AUTHOR).equals(stringField(creator, "username", "creator"))) {
      throw new VerificationException("post creator is " + creator + ", expected user " + AUTHOR);
    }
    JsonArray urls = array(post, "urls", "post");
    if (urls.size() != 1) {
      throw new VerificationException("post has " + urls.size() + " urls, expected 1: " + urls);
    }
    JsonObject shortened = urls.get(0).getAsJsonObject();
    String shortUrl = stringField(shortened, "shortened_url", "urls[0]");
    if (!url.equals(stringField(shortened, "expanded_url", "urls[0]"))) {
      throw new VerificationException("urls[0].expanded_url is " + shortened.get("expanded_url") + ", expected " + url);
    }
    if (!shortUrl.startsWith("http://short-url/") || shortUrl.equals(url)) {
      throw new VerificationException("urls[0].shortened_url is " + shortUrl + ", expected http://short-url/...");
    }
    String expectedText = text.replace(url, shortUrl);
    if (!expectedText.equals(stringField(post, "text", "post"))) {
      throw new VerificationException("post text is " + post.get("text") + ", expected \"" + expectedText + "\"");
    }
    JsonArray mentions = array(post, "user_mentions", "post");
    if (mentions.size() != 1
        || longField(mentions.get(0).getAsJsonObject(), "user_id", "user_mentions[0]") != MENTIONED
        || !mentioned.equals(stringField(mentions.get(0).getAsJsonObject(), "username", "user_mentions[0]"))) {
      throw new VerificationException("post user_mentions is " + mentions + ", expected [{user_id: " + MENTIONED
          + ", username: " + mentioned + "}]");
    }
  }

  private static void checkInTimeline(JsonObject timeline, long postId, JsonObject post, String what)
      throws VerificationException {
    for (JsonElement element : array(timeline, "posts", what)) {
      JsonObject candidate = element.getAsJsonObject();
      if (longField(candidate, "post_id", what) == postId) {
        if (!candidate.equals(post)) {
          throw new VerificationException(what + " holds post " + postId + " as " + candidate + ", but compose"
              + " answered " + post);
        }
        return;
      }
    }
    throw new VerificationException(what + " lacks post " + postId + " among its " + TIMELINE_WINDOW
        + " newest posts");
  }

  private static Set<Long> ids(JsonObject answer, String field) throws VerificationException {
    Set<Long> ids = new HashSet<>();
    for (JsonElement id : array(answer, field, "answer")) {
      ids.add(id.getAsLong());
    }
    return ids;
  }

  private static long longField(JsonObject json, String field, String what) throws VerificationException {
    JsonElement value = json.get(field);
    if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
      throw new VerificationException(what + " has no number " + field + ": " + json);
    }
    return value.getAsLong();
  }

  private static String stringField(JsonObject json, String field, String what) throws VerificationException {
    JsonElement value = json.get(field);
    if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
      throw new VerificationException(what + " has no string " + field + ": " + json);
    }
    return value.getAsString();
  }

  private static JsonObject object(JsonObject json, String field, String what) throws VerificationException {
    JsonElement value = json.get(field);
    if (value == null || !value.isJsonObject()) {
      throw new VerificationException(what + " has no object " + field + ": " + json);
    }
    return value.getAsJsonObject();
  }

  private static JsonArray array(JsonObject json, String field, String what) throws VerificationException {
    JsonElement value = json.get(field);
    if (value == null || !value.isJsonArray()) {
      throw new VerificationException(what + " has no array " + field + ": " + json);
    }
    return value.getAsJsonArray();
  }
}
