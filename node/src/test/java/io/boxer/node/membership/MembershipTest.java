package io.boxer.node.membership;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MembershipTest {
  private static Peer peer(long id, String ip) {
    return new Peer(id, new InetSocketAddress(ip, 7000));
  }

  @Test
  void snapshot_isSortedById() {
    Membership membership = new Membership();
    membership.put(peer(3, "198.18.0.103"));
    membership.putAll(List.of(peer(2, "198.18.0.102"), peer(1, "198.18.0.101")));

    assertThat(membership.snapshot()).extracting(Peer::id).containsExactly(1L, 2L, 3L);
  }

  @Test
  void listener_seesCurrentStateThenEachChange() {
    Membership membership = new Membership();
    membership.put(peer(1, "198.18.0.101"));
    List<Integer> sizes = new ArrayList<>();

    membership.addListener(peers -> sizes.add(peers.size()));
    membership.put(peer(2, "198.18.0.102"));
    membership.remove(1);
    membership.remove(1); // unknown id: no notification

    assertThat(sizes).containsExactly(1, 2, 1);
  }

  @Test
  void byExternalIp_findsTheMember() throws Exception {
    Membership membership = new Membership();
    membership.put(peer(7, "198.18.0.107"));

    assertThat(membership.byExternalIp(InetAddress.getByName("198.18.0.107"))).map(Peer::id).contains(7L);
    assertThat(membership.byExternalIp(InetAddress.getByName("198.18.0.108"))).isEmpty();
  }

  @Test
  void suspected_membersAreListedByIp_andEachChangeNotifies_andLeavingOrClearingEndsIt() throws Exception {
    Membership membership = new Membership();
    membership.putAll(List.of(peer(1, "198.18.0.101"), peer(2, "198.18.0.102")));
    List<Integer> notified = new ArrayList<>();
    membership.addListener(peers -> notified.add(peers.size()));

    assertThat(membership.setSuspected(2, true)).isTrue();
    assertThat(membership.setSuspected(2, true)).isFalse(); // no change, no notification
    assertThat(membership.setSuspected(9, true)).isFalse(); // not a member
    assertThat(membership.suspectedIps()).containsExactly(InetAddress.getByName("198.18.0.102"));
    assertThat(membership.setSuspected(2, false)).isTrue();
    assertThat(membership.suspectedIps()).isEmpty();

    membership.setSuspected(1, true);
    membership.remove(1);
    assertThat(membership.suspectedIps()).isEmpty();
    membership.setSuspected(2, true);
    membership.clearSuspected();
    membership.clearSuspected(); // nothing left: no notification
    assertThat(membership.suspectedIps()).isEmpty();

    // registration, suspect 2, clear 2, suspect 1, remove 1, suspect 2, clear all
    assertThat(notified).hasSize(7);
  }
}
