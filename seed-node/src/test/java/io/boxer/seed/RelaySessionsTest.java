package io.boxer.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.channel.Channel;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class RelaySessionsTest {
  private static final InetAddress A = ip("198.18.0.101");
  private static final InetAddress B = ip("198.18.0.102");
  private final RelaySessions sessions = new RelaySessions();
  private final Channel first = new EmbeddedChannel();
  private final Channel second = new EmbeddedChannel();

  @Test
  void bothTickets_pairTheSession_thenAreUsedUp() throws Exception {
    RelaySessions.Tickets t = sessions.open(1, A, 7, 2, B, 0);

    assertThat(sessions.claim(t.peer(), B, first, 1)).as("the first end waits").isNull();
    assertThat(sessions.claim(t.requester(), A, second, 2)).as("the second end gets the first").isSameAs(first);
    assertThat(sessions.pending()).isZero();
    assertThatThrownBy(() -> sessions.claim(t.requester(), A, second, 3))
        .isInstanceOf(RelaySessions.Refused.class).hasMessageContaining("unknown or used");
  }

  @Test
  void ticketFromAnotherAddress_isRefused_andDropsTheSession() throws Exception {
    RelaySessions.Tickets t = sessions.open(1, A, 7, 2, B, 0);

    assertThatThrownBy(() -> sessions.claim(t.requester(), B, first, 1))
        .isInstanceOf(RelaySessions.Refused.class).hasMessageContaining("presented from 198.18.0.102");
    assertThatThrownBy(() -> sessions.claim(t.peer(), B, second, 2)).isInstanceOf(RelaySessions.Refused.class);
  }

  @Test
  void expiredTicket_isRefused_andExpiryClosesTheWaitingEnd() throws Exception {
    RelaySessions.Tickets t = sessions.open(1, A, 7, 2, B, 0);
    long later = RelaySessions.TICKET_TTL.toNanos() + 1;
    assertThatThrownBy(() -> sessions.claim(t.peer(), B, first, later)).hasMessageContaining("expired");

    RelaySessions.Tickets u = sessions.open(1, A, 8, 2, B, 0);
    sessions.claim(u.requester(), A, first, 1);
    assertThat(sessions.expire(later)).containsExactly(first);
    assertThat(sessions.pending()).isZero();
  }

  @Test
  void decline_byTheOfferedMember_namesTheRequester_voidsTheTickets_andClosesTheWaitingEndSoonAfter()
      throws Exception {
    RelaySessions.Tickets t = sessions.open(1, A, 7, 2, B, 0);
    sessions.claim(t.requester(), A, first, 1);

    assertThat(sessions.decline(t.sessionId(), 1, 2)).as("only the offered member declines").isNull();
    assertThat(sessions.decline(t.sessionId(), 2, 2)).isEqualTo(new RelaySessions.Requester(1, 7));
    assertThatThrownBy(() -> sessions.claim(t.peer(), B, second, 3)).hasMessageContaining("unknown or used");
    assertThat(sessions.expire(3)).as("the requester hears why first").isEmpty();
    assertThat(sessions.expire(2 + RelaySessions.DECLINED_LINGER.toNanos() + 1)).containsExactly(first);
    assertThat(sessions.pending()).isZero();
  }

  @Test
  void pendingSessions_areBoundedPerMember() throws Exception {
    for (int i = 0; i < RelaySessions.MAX_PENDING_PER_MEMBER; i++) {
      sessions.open(1, A, i, 2, B, 0);
    }
    assertThatThrownBy(() -> sessions.open(1, A, 999, 2, B, 0))
        .isInstanceOf(RelaySessions.Refused.class).hasMessageContaining("member 1 has");
    assertThat(sessions.open(2, B, 1, 1, A, 0)).as("another member still may").isNotNull();
    sessions.expire(RelaySessions.TICKET_TTL.toNanos() + 1);
    assertThat(sessions.open(1, A, 1000, 2, B, 0)).as("expiry frees the share").isNotNull();
  }

  private static InetAddress ip(String s) {
    try {
      return InetAddress.getByName(s);
    } catch (java.net.UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
