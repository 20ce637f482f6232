package io.boxer.netlab.wan;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReleaserTest {
  /** Records verdicts as "accept<=ID" and "drop ID". */
  static final class RecordedVerdicts implements Verdicts {
    final List<String> sent = new ArrayList<>();

    @Override
    public void acceptUpTo(long id) {
      sent.add("accept<=" + id);
    }

    @Override
    public void drop(long id) {
      sent.add("drop " + id);
    }
  }

  private final DelayLine a = new DelayLine(100, 0, 8, new SplittableRandom(1));
  private final DelayLine b = new DelayLine(300, 0, 8, new SplittableRandom(1));
  private final RecordedVerdicts toA = new RecordedVerdicts();
  private final RecordedVerdicts toB = new RecordedVerdicts();
  private final Releaser releaser = new Releaser(List.of(new Releaser.Line(a, toA), new Releaser.Line(b, toB)));

  @Test
  void tick_sendsOneBatchVerdictPerQueueForWhatIsDue() {
    a.admit(1, 0);
    a.admit(2, 5);
    b.admit(10, 0);
    assertThat(releaser.tick(105)).as("b's packet is next").isEqualTo(300);
    assertThat(toA.sent).containsExactly("accept<=2");
    assertThat(toB.sent).isEmpty();
    assertThat(releaser.tick(300)).isEqualTo(Long.MAX_VALUE);
    assertThat(toB.sent).containsExactly("accept<=10");
  }

  @Test
  void tick_beforeAnythingIsDue_sendsNothing_andNamesTheEarliestRelease() {
    a.admit(1, 50);
    b.admit(2, 0);
    assertThat(releaser.tick(10)).isEqualTo(150);
    assertThat(toA.sent).isEmpty();
    assertThat(toB.sent).isEmpty();
  }
}
