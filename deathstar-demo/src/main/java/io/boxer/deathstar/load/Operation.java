package io.boxer.deathstar.load;

/** One kind of frontend request the load generator sends. */
public enum Operation {
  /** {@code GET /wrk2-api/user-timeline/read}: a user's own posts, depth frontend → user-timeline → post-storage. */
  READ_USER_TIMELINE,
  /** {@code GET /wrk2-api/home-timeline/read}: a user's feed, depth frontend → home-timeline → post-storage. */
  READ_HOME_TIMELINE,
  /** {@code POST /wrk2-api/post/compose}: a new post, depth frontend → compose-post → text → url-shorten. */
  COMPOSE_POST,
  /** {@code POST /wrk2-api/user/follow}: a new edge, depth frontend → social-graph. */
  FOLLOW
}
