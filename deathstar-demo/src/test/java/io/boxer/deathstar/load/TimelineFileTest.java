package io.boxer.deathstar.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimelineFileTest {
  @TempDir Path dir;

  @Test
  void writeThenRead_givesTheSameTimeline() throws IOException {
    TimelineFile timeline = new TimelineFile(1_764_640_000_123L, List.of(
        new TimelineFile.Second(0, 41, 40, 0), new TimelineFile.Second(1, 39, 38, 2)));

    Path file = timeline.write(dir);

    assertThat(file.getFileName().toString()).isEqualTo("timeline.csv");
    assertThat(Files.readString(file)).isEqualTo("# origin-epoch-ms=1764640000123\n"
        + "second,offered,succeeded,failed\n0,41,40,0\n1,39,38,2\n");
    assertThat(TimelineFile.read(file)).isEqualTo(timeline);
  }

  @Test
  void read_rejectsAFileWithoutTheOrigin() throws IOException {
    Path file = Files.writeString(dir.resolve("t.csv"), "second,offered,succeeded,failed\n0,1,1,0\n");

    assertThatThrownBy(() -> TimelineFile.read(file)).isInstanceOf(IOException.class)
        .hasMessageContaining("not a timeline");
  }

  @Test
  void read_namesTheLineOfABadCount() throws IOException {
    Path file = Files.writeString(dir.resolve("t.csv"),
        "# origin-epoch-ms=5\nsecond,offered,succeeded,failed\n0,1,1,0\n1,x,1,0\n");

    assertThatThrownBy(() -> TimelineFile.read(file)).isInstanceOf(IOException.class)
        .hasMessageEndingWith("line 4: 'x' (expected: a count >= 0)");
  }

  @Test
  void read_rejectsMissingSeconds() throws IOException {
    Path file = Files.writeString(dir.resolve("t.csv"),
        "# origin-epoch-ms=5\nsecond,offered,succeeded,failed\n0,1,1,0\n2,1,1,0\n");

    assertThatThrownBy(() -> TimelineFile.read(file)).isInstanceOf(IOException.class)
        .hasMessageEndingWith("second : 2 at row 1 (expected: consecutive seconds from 0)");
  }
}
