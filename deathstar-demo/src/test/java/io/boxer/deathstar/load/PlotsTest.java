package io.boxer.deathstar.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlotsTest {
  @TempDir Path dir;

  @Test
  void write_producesOneValidPngPerPercentile() throws Exception {
    Map<String, List<RateResult>> byLabel = new LinkedHashMap<>();
    byLabel.put("vm", List.of(Results.of(100, 99, 20, 0), Results.of(200, 190, 80, 0)));
    byLabel.put("boxer", List.of(Results.of(100, 98, 25, 0), Results.of(200, 170, 900, 2)));

    List<Path> files = Plots.write(byLabel, dir);

    assertThat(files).extracting(p -> p.getFileName().toString())
        .containsExactly("throughput-p50.png", "throughput-p90.png", "throughput-p99.png");
    for (Path png : files) {
      byte[] bytes = Files.readAllBytes(png);
      assertThat(bytes).startsWith(0x89, 'P', 'N', 'G');
      BufferedImage image = ImageIO.read(png.toFile());
      assertThat(image.getWidth()).isEqualTo(900);
      assertThat(image.getHeight()).isEqualTo(560);
    }
  }

  @Test
  void write_noSuccessfulRate_isRejected() {
    RateResult failed = new RateResult(100, 0, 10, 100, 0, 100, 0, LatencySummary.EMPTY, LatencySummary.EMPTY,
        "HTTP 503");

    assertThatThrownBy(() -> Plots.write(Map.of("vm", List.of(failed)), dir))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nothing to plot");
  }
}
