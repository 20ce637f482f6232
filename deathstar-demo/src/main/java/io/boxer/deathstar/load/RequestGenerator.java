package io.boxer.deathstar.load;

import java.net.http.HttpRequest;
import java.util.random.RandomGenerator;

/**
 * Draws the requests of a workload, as DeathStarBench's wrk2 Lua scripts do: a uniformly random user; timeline
 * reads of the 10 newest posts; posts of random text with up to two @mentions of random users and up to two URLs;
 * follows of a random other user. Not thread-safe: one scheduler thread draws.
 */
final class RequestGenerator {
  static final int TIMELINE_LENGTH = 10;
  private static final String ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  private final Workload workload;
  private final FrontendRequests requests;
  private final int users;
  private final RandomGenerator random;

  /**
   * @param users the seeded user count (ids 0..users-1), at least 2
   * @param random seeded by the caller, so a run can be repeated
   */
  RequestGenerator(Workload workload, FrontendRequests requests, int users, RandomGenerator random) {
    if (users < 2) {
      throw new IllegalArgumentException("users : " + users + " (expected: >= 2)");
    }
    this.workload = workload;
    this.requests = requests;
    this.users = users;
    this.random = random;
  }

  /** A request drawn for the workload, and what it is. */
  record Drawn(Operation operation, HttpRequest request) {}

  Drawn next() {
    Operation operation = workload.next(random);
    long user = random.nextInt(users);
    HttpRequest request = switch (operation) {
      case READ_USER_TIMELINE -> requests.readUserTimeline(user, 0, TIMELINE_LENGTH);
      case READ_HOME_TIMELINE -> requests.readHomeTimeline(user, 0, TIMELINE_LENGTH);
      case COMPOSE_POST -> requests.compose(user, text());
      case FOLLOW -> requests.follow(user, otherUser(user));
    };
    return new Drawn(operation, request);
  }

  /** Random text of 64 alphanumerics, then 0..2 mentions and 0..2 URLs. */
  String text() {
    StringBuilder text = new StringBuilder(randomString(64));
    int mentions = random.nextInt(3);
    for (int i = 0; i < mentions; i++) {
      text.append(" @").append(FrontendRequests.username(random.nextInt(users)));
    }
    int urls = random.nextInt(3);
    for (int i = 0; i < urls; i++) {
      text.append(" https://boxer.example/").append(randomString(24));
    }
    return text.toString();
  }

  private long otherUser(long user) {
    long other = random.nextInt(users - 1);
    return other >= user ? other + 1 : other;
  }

  private String randomString(int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(ALPHANUMERIC.charAt(random.nextInt(ALPHANUMERIC.length())));
    }
    return s.toString();
  }
}
