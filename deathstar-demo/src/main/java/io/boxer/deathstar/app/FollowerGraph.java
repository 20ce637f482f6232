package io.boxer.deathstar.app;

import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The seeded social graph: users {@code 0..users-1}, named {@code user_<id>}, each following
 * {@code min(10, users-1)} distinct other users drawn by a {@link Random} seeded from a fixed constant and the
 * follower's id. {@code java.util.Random}'s sequence is fixed by its specification, so every JVM, the load generator
 * and the verifier included, computes the same graph without reading Redis.
 */
public final class FollowerGraph {
  /** How many users each user follows (fewer only when there are not that many others). */
  public static final int FOLLOWS_PER_USER = 10;
  private static final long SEED = 0x5EED_D5B_50C1A1L;

  private final int users;

  /** @param users 2 or more */
  public FollowerGraph(int users) {
    if (users < 2) {
      throw new IllegalArgumentException("users : " + users + " (expected: >= 2)");
    }
    this.users = users;
  }

  public int users() {
    return users;
  }

  /** The username of user {@code userId}. */
  public static String username(long userId) {
    return "user_" + userId;
  }

  /**
   * The users whom {@code userId} follows in the seeded graph, ascending; never {@code userId} itself.
   * Uses Floyd's sampling, so it draws exactly as many numbers as it returns.
   */
  public SortedSet<Integer> followees(int userId) {
    if (userId < 0 || userId >= users) {
      throw new IllegalArgumentException("userId : " + userId + " (expected: 0.." + (users - 1) + ")");
    }
    int others = users - 1;
    int count = Math.min(FOLLOWS_PER_USER, others);
    Random random = new Random(mix(SEED + userId));
    SortedSet<Integer> picked = new TreeSet<>();
    for (int j = others - count; j < others; j++) {
      int t = random.nextInt(j + 1);
      picked.add(picked.contains(t) ? j : t);
    }
    // picked holds indexes into "all users but userId"; shift those at or past userId up by one
    SortedSet<Integer> followees = new TreeSet<>();
    for (int index : picked) {
      followees.add(index >= userId ? index + 1 : index);
    }
    return followees;
  }

  /** SplitMix64's finalizer: neighbouring ids get unrelated Random seeds (Random's own scrambling is weak there). */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
