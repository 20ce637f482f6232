package io.boxer.agent.rewrite;

/**
 * The methods {@link EntryHookTest} inserts hooks into (each without a branch of its own, so that the only frames
 * are the inserted ones); they record that their original code ran.
 */
public class HookedSample {

  /** A long first, so that the later parameters' slots are not their indexes plus one. */
  public int pick(long big, String name, int n) {
    EntryHookTest.record("pick");
    return n;
  }

  public static void skip(int n) {
    EntryHookTest.record("skip " + n);
  }

  public static String store(String s, double d) {
    EntryHookTest.record("store " + s);
    return s;
  }

  public static int connect(String remote) {
    EntryHookTest.record("connect " + remote);
    return remote.length();
  }

  public void touch() {
    EntryHookTest.record("touch");
  }
}
