package io.boxer.node.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.proto.v1.Heartbeat;
import org.junit.jupiter.api.Test;

/** Round trips from heartbeat echoes, on clocks the test passes in (nanoseconds). */
class LinkRttTest {
  private static final long MS = 1_000_000;
  private final LinkRtt near = new LinkRtt(0);
  private final LinkRtt far = new LinkRtt(7_000 * MS); // the far end's link opened at another time

  /** near sends at {@code sent}, far gets it at {@code arrives}, far answers at {@code answers}, near gets it at {@code back}. */
  private void roundTrip(long sent, long arrives, long answers, long back) {
    far.incoming(near.outgoing(sent), arrives);
    near.incoming(far.outgoing(answers), back);
  }

  @Test
  void echo_measuresTheRoundTrip_withoutTheTimeTheFarEndHeldIt() {
    // 0.2 ms there, held 0.5 ms until far's own heartbeat, 0.2 ms back
    roundTrip(10_000 * MS, 10_000 * MS + 200_000, 10_000 * MS + 700_000, 10_000 * MS + 900_000);

    assertThat(near.lastMicros()).isEqualTo(400);
    assertThat(near.smoothedMicros()).isEqualTo(400);
  }

  @Test
  void smoothedRtt_movesAnEighthTowardEachNewSample() {
    roundTrip(10_000 * MS, 10_000 * MS + 200_000, 10_000 * MS + 700_000, 10_000 * MS + 900_000); // 400 us
    roundTrip(10_500 * MS, 10_500 * MS + 600_000, 10_500 * MS + 800_000, 10_500 * MS + 1_400_000); // 1200 us

    assertThat(near.lastMicros()).isEqualTo(1200);
    assertThat(near.smoothedMicros()).isEqualTo(400 + (1200 - 400) / 8);
  }

  @Test
  void anEchoAlreadySampled_givesNoNewSample() {
    roundTrip(10_000 * MS, 10_000 * MS + 200_000, 10_000 * MS + 700_000, 10_000 * MS + 900_000);

    // far heartbeats again before hearing anything newer from near: the same echo, held longer
    near.incoming(far.outgoing(10_500 * MS), 10_500 * MS + 5 * MS);

    assertThat(near.lastMicros()).isEqualTo(400);
  }

  @Test
  void impossibleSamples_areIgnored() {
    near.outgoing(10_000 * MS);
    // a peer claiming it held our clock longer than the whole round trip took
    near.incoming(Heartbeat.newBuilder().setSentUs(5).setEchoUs(10_000_001).setHeldUs(5_000_000).build(),
        10_001 * MS);

    assertThat(near.lastMicros()).isZero();
    assertThat(near.smoothedMicros()).isZero();
  }

  @Test
  void heartbeatsWithoutClocks_measureNothing() {
    near.incoming(Heartbeat.getDefaultInstance(), 10_000 * MS);

    Heartbeat next = near.outgoing(10_001 * MS);

    assertThat(near.lastMicros()).isZero();
    assertThat(next.getEchoUs()).isZero();
    assertThat(next.getSentUs()).isPositive();
  }
}
