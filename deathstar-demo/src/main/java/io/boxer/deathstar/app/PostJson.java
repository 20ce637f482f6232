package io.boxer.deathstar.app;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.boxer.deathstar.proto.Post;
import io.boxer.deathstar.proto.Url;
import io.boxer.deathstar.proto.UserMention;

/**
 * A post as the frontend's JSON shows it, with DeathStarBench's field names:
 * <pre>{"post_id": 1, "creator": {"user_id": 7, "username": "user_7"}, "text": "...",
 *  "urls": [{"shortened_url": "...", "expanded_url": "..."}], "user_mentions": [{"user_id": 3, "username": "user_3"}],
 *  "media_ids": [], "post_type": "POST", "timestamp": 1718000000000}</pre>
 * Ids are JSON numbers (64-bit; exact for Java and Go clients, not for JavaScript's doubles).
 */
public final class PostJson {
  private PostJson() {}

  public static JsonObject of(Post post) {
    JsonObject json = new JsonObject();
    json.addProperty("post_id", post.getPostId());
    JsonObject creator = new JsonObject();
    creator.addProperty("user_id", post.getCreator().getUserId());
    creator.addProperty("username", post.getCreator().getUsername());
    json.add("creator", creator);
    json.addProperty("text", post.getText());
    JsonArray urls = new JsonArray();
    for (Url url : post.getUrlsList()) {
      JsonObject u = new JsonObject();
      u.addProperty("shortened_url", url.getShortenedUrl());
      u.addProperty("expanded_url", url.getExpandedUrl());
      urls.add(u);
    }
    json.add("urls", urls);
    JsonArray mentions = new JsonArray();
    for (UserMention mention : post.getUserMentionsList()) {
      JsonObject m = new JsonObject();
      m.addProperty("user_id", mention.getUserId());
      m.addProperty("username", mention.getUsername());
      mentions.add(m);
    }
    json.add("user_mentions", mentions);
    JsonArray media = new JsonArray();
    post.getMediaIdsList().forEach(media::add);
    json.add("media_ids", media);
    json.addProperty("post_type", post.getPostType().name());
    json.addProperty("timestamp", post.getTimestampMs());
    return json;
  }
}
