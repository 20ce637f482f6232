package io.boxer.netlab;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Names of lab namespaces and hosts: {@code boxer-<runid>-<member>}, where runid is 4 to 6 lower-case hex
 * characters and member is {@code pub}, {@code seed}, {@code vmI}, {@code natK} or {@code fnK}
 * (I, K in 1..50, no leading zero). Everything else is not a lab namespace and is never touched.
 * Stateless and thread-safe.
 */
public final class LabNames {
  /** Every lab namespace starts with this. */
  public static final String PREFIX = "boxer-";
  /** Member name of the public segment's namespace (holds the bridge). */
  public static final String PUBLIC = "pub";
  /** Host name of the seed host. */
  public static final String SEED = "seed";

  private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{4,6}");
  private static final Pattern MEMBER = Pattern.compile("pub|seed|(?:vm|nat|fn)(?:[1-9]|[1-4][0-9]|50)");
  private static final Pattern NAMESPACE =
      Pattern.compile("boxer-([0-9a-f]{4,6})-(" + MEMBER.pattern() + ")");

  private LabNames() {}

  /** A random 4-hex-character run id; callers check it is not in use. */
  public static String newRunId() {
    return String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
  }

  /**
   * Checks a run id.
   *
   * @throws IllegalArgumentException if it is not 4 to 6 lower-case hex characters
   */
  public static String checkRunId(String runId) {
    if (runId == null || !RUN_ID.matcher(runId).matches()) {
      throw new IllegalArgumentException(
          "runId : " + runId + " (expected: 4 to 6 lower-case hex characters, e.g. 3fa2)");
    }
    return runId;
  }

  /** {@code boxer-<runId>-<member>}, e.g. {@code boxer-3fa2-fn1}. */
  public static String namespace(String runId, String member) {
    checkRunId(runId);
    if (!MEMBER.matcher(member).matches()) {
      throw new IllegalArgumentException(
          "member : " + member + " (expected: pub, seed, vmI, natK or fnK with I, K in 1..50)");
    }
    return PREFIX + runId + "-" + member;
  }

  /** The namespace prefix shared by every namespace of one lab, {@code boxer-<runId>-}. */
  public static String namespacePrefix(String runId) {
    return PREFIX + checkRunId(runId) + "-";
  }

  /** Host name of VM {@code i}: {@code vmI}. */
  public static String vm(int i) {
    return "vm" + i;
  }

  /** Host name of function {@code k}: {@code fnK}. */
  public static String function(int k) {
    return "fn" + k;
  }

  /** Member name of NAT router {@code k}: {@code natK}. */
  public static String nat(int k) {
    return "nat" + k;
  }

  /** Splits a lab namespace name into run id and member; empty if it is not a lab namespace. */
  public static Optional<Parsed> parse(String namespace) {
    Matcher m = NAMESPACE.matcher(namespace);
    return m.matches() ? Optional.of(new Parsed(m.group(1), m.group(2))) : Optional.empty();
  }

  /**
   * A parsed lab namespace name.
   *
   * @param runId the lab's run id
   * @param member {@code pub}, {@code seed}, {@code vmI}, {@code natK} or {@code fnK}
   */
  public record Parsed(String runId, String member) {
    /** The 1-based index of a {@code vmI}, {@code natK} or {@code fnK} member; 0 for pub and seed. */
    public int index() {
      int i = 0;
      while (i < member.length() && !Character.isDigit(member.charAt(i))) {
        i++;
      }
      return i == member.length() ? 0 : Integer.parseInt(member.substring(i));
    }

    /** The member name without its index: {@code pub}, {@code seed}, {@code vm}, {@code nat} or {@code fn}. */
    public String role() {
      return member.replaceAll("[0-9]+$", "");
    }
  }
}
