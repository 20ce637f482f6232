package io.boxer.deathstar.app;

import io.boxer.deathstar.proto.ReadTimelineRequest;

/** Checks a {@link ReadTimelineRequest}: {@code 0 <= start < stop <= start + 100}, {@code user_id >= 0}. */
final class TimelineRange {
  static final int MAX_POSTS = 100;

  private TimelineRange() {}

  /** @throws IllegalArgumentException naming the bad field */
  static void check(ReadTimelineRequest request) {
    if (request.getUserId() < 0) {
      throw new IllegalArgumentException("user_id : " + request.getUserId() + " (expected: >= 0)");
    }
    if (request.getStart() < 0) {
      throw new IllegalArgumentException("start : " + request.getStart() + " (expected: >= 0)");
    }
    if (request.getStop() <= request.getStart() || request.getStop() - request.getStart() > MAX_POSTS) {
      throw new IllegalArgumentException("stop : " + request.getStop() + " (expected: start < stop <= start + "
          + MAX_POSTS + ", start = " + request.getStart() + ")");
    }
  }
}
