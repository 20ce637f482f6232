package io.boxer.netlab;

import java.util.ArrayList;
import java.util.List;

/**
 * Which NAT router each function host sits behind when {@code functionsPerNat} functions share one: functions
 * {@code 1..N} behind router 1, {@code N+1..2N} behind router 2, and so on; the last router may have fewer.
 * With {@code functionsPerNat} 1, function K sits behind router K, as in every lab before routers were
 * shared. Immutable and thread-safe.
 *
 * @param functionsPerNat functions per router, {@code 1..}{@link LabSpec#MAX_FUNCTIONS}
 */
record NatGroups(int functionsPerNat) {
  /** A router per function. */
  static final NatGroups ONE_EACH = new NatGroups(1);

  NatGroups {
    if (functionsPerNat < 1 || functionsPerNat > LabSpec.MAX_FUNCTIONS) {
      throw new IllegalArgumentException(
          "functionsPerNat : " + functionsPerNat + " (expected: 1.." + LabSpec.MAX_FUNCTIONS + ")");
    }
  }

  /** The router (1-based) that function {@code function} (1-based) sits behind. */
  int natOf(int function) {
    checkIndex("function", function, LabSpec.MAX_FUNCTIONS);
    return (function - 1) / functionsPerNat + 1;
  }

  /** How many routers a lab of {@code functions} function hosts has: {@code ceil(functions / perNat)}. */
  int nats(int functions) {
    if (functions < 0 || functions > LabSpec.MAX_FUNCTIONS) {
      throw new IllegalArgumentException(
          "functions : " + functions + " (expected: 0.." + LabSpec.MAX_FUNCTIONS + ")");
    }
    return (functions + functionsPerNat - 1) / functionsPerNat;
  }

  /** The functions behind router {@code nat} in a lab of {@code functions} function hosts, ascending. */
  List<Integer> functionsBehind(int nat, int functions) {
    checkIndex("nat", nat, nats(functions));
    List<Integer> behind = new ArrayList<>();
    for (int k = (nat - 1) * functionsPerNat + 1; k <= Math.min(nat * functionsPerNat, functions); k++) {
      behind.add(k);
    }
    return behind;
  }

  private static void checkIndex(String what, int index, int max) {
    if (index < 1 || index > max) {
      throw new IllegalArgumentException(what + " : " + index + " (expected: 1.." + max + ")");
    }
  }
}
