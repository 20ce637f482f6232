package io.boxer.launcher;

import io.boxer.node.membership.Peer;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What changed between two member lists, as the {@code --on-change} hook gets it in its environment:
 * {@code BOXER_JOINED} and {@code BOXER_LEFT} hold peers-file lines ({@code <id> <external-ip> <role>}, one
 * per member, sorted by id, empty when none), {@code BOXER_MEMBERS} the member count now. A member that came
 * back with another address or role is in both.
 *
 * @param joined members in the new list that the old one did not have as such
 * @param left members of the old list that the new one does not have as such
 * @param members the new list's size
 */
record MemberChange(List<Peer> joined, List<Peer> left, int members) {
  static MemberChange between(List<Peer> before, List<Peer> after) {
    Set<Peer> old = new LinkedHashSet<>(before);
    Set<Peer> now = new LinkedHashSet<>(after);
    return new MemberChange(
        after.stream().filter(p -> !old.contains(p)).toList(),
        before.stream().filter(p -> !now.contains(p)).toList(),
        after.size());
  }

  /** Whether nothing changed (a member that joined and left within one burst leaves nothing). */
  boolean isEmpty() {
    return joined.isEmpty() && left.isEmpty();
  }

  Map<String, String> environment() {
    Map<String, String> env = new HashMap<>();
    env.put("BOXER_JOINED", PeersFile.render(joined));
    env.put("BOXER_LEFT", PeersFile.render(left));
    env.put("BOXER_MEMBERS", Integer.toString(members));
    return env;
  }
}
