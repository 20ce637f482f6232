package io.boxer.node.agentlink;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.node.membership.Peer;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** When an application connection goes through the relay instead of a prime (docs/relay.md). */
class AgentPrimerRelayDecisionTest {
  private static final Peer FUNCTION = peer(1, "198.18.0.101", false, false);
  private static final Peer OPEN_VM = peer(2, "198.18.0.11", false, true);
  private static final Peer OTHER_OPEN_VM = peer(3, "198.18.0.12", false, true);
  private static final Peer GUARDED_VM = peer(4, "198.18.0.13", false, false);
  private static final Peer SYMMETRIC = peer(5, "198.18.0.102", true, false);

  @Test
  void needsRelay_hostThatAnswersRstToAMemberThatNeedsAPrime() {
    assertThat(AgentPrimer.needsRelay(true, FUNCTION, OPEN_VM)).isTrue();
    assertThat(AgentPrimer.needsRelay(true, GUARDED_VM, OPEN_VM)).isTrue();
  }

  @Test
  void needsRelay_notTowardAHostThatAnswersRstItself() {
    // it needs no prime: its kernel accepts the SYN, and no NAT state of ours is at stake
    assertThat(AgentPrimer.needsRelay(true, OTHER_OPEN_VM, OPEN_VM)).isFalse();
    assertThat(AgentPrimer.needsRelay(true, OPEN_VM, FUNCTION)).isFalse();
  }

  @Test
  void needsRelay_notBetweenMembersThatDropStraySyns() {
    assertThat(AgentPrimer.needsRelay(true, FUNCTION, GUARDED_VM)).isFalse();
    assertThat(AgentPrimer.needsRelay(true, GUARDED_VM, FUNCTION)).isFalse();
  }

  @Test
  void needsRelay_whateverTheHostsWhenThereIsNoDirectPath() {
    assertThat(AgentPrimer.needsRelay(false, FUNCTION, GUARDED_VM)).isTrue();
    assertThat(AgentPrimer.needsRelay(true, SYMMETRIC, FUNCTION)).isTrue();
    assertThat(AgentPrimer.needsRelay(true, FUNCTION, SYMMETRIC)).isTrue();
  }

  @Test
  void needsRelay_whenNoPrimedConnectGotThrough() {
    // the primed dial had failed (a NAT that checks sequence windows), and no later check got through: an
    // application's listener cannot open simultaneously, and a prime toward it would fail the same way
    assertThat(AgentPrimer.needsRelay(false, FUNCTION, GUARDED_VM)).isTrue();
    assertThat(AgentPrimer.needsRelay(false, GUARDED_VM, FUNCTION)).isTrue();
  }

  private static Peer peer(long id, String ip, boolean relayOnly, boolean answersRst) {
    return new Peer(id, new InetSocketAddress(ip, 40000), "member", relayOnly, answersRst);
  }
}
