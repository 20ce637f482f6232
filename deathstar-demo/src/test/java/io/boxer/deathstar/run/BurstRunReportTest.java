package io.boxer.deathstar.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.deathstar.app.Role;
import io.boxer.deathstar.load.TimelineFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class BurstRunReportTest {
  private static final BurstRun.Options OPTIONS = new BurstRun.Options(List.of(ScaleOut.FUNCTIONS, ScaleOut.VMS),
      Role.USER_TIMELINE, "read-user-timeline", 40, 120, Duration.ofSeconds(30), Duration.ofSeconds(150), 3,
      Duration.ofSeconds(40), 2, Duration.ofMillis(40), Path.of("out"));

  @Test
  void report_statesWhatIsModeledAndBothTimesPerVariant() {
    TimelineFile empty = new TimelineFile(0, List.of());
    String report = BurstRun.report(OPTIONS, List.of(
        new BurstRun.Outcome(ScaleOut.FUNCTIONS, empty, Optional.of(Duration.ofMillis(12_345)), OptionalInt.of(20)),
        new BurstRun.Outcome(ScaleOut.VMS, empty, Optional.empty(), OptionalInt.empty())));

    assertThat(report)
        .contains("as VMs after a modeled boot of 40 s")
        .contains("2 calls at once, 40 ms each (50 req/s)")
        .contains("| functions | 12.3 s | 20 s |")
        .contains("| vms | never | not within the run |");
  }

  @Test
  void scaleOut_placesNewInstancesAfterTheDeploymentsHosts() {
    assertThat(ScaleOut.FUNCTIONS.host(0)).isEqualTo("fn9"); // fn1..fn8 hold the logic tier
    assertThat(ScaleOut.VMS.host(2)).isEqualTo("vm5");       // vm1 frontend, vm2 Redis
    assertThat(ScaleOut.VMS.bootDelay(Duration.ofSeconds(40))).isEqualTo(Duration.ofSeconds(40));
    assertThat(ScaleOut.FUNCTIONS.bootDelay(Duration.ofSeconds(40))).isZero();
  }
}
