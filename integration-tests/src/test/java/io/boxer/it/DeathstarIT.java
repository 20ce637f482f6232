package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.netlab.HostProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 4: the main job's deployment 3 (frontend and Redis on VMs, the eight logic services in functions behind
 * lambda NATs, all under Boxer) through the demo's own command line, at a low rate: every answer verified
 * (content, not only status codes: the verifier's checks and the load generator's per-request checks), zero
 * errors, and the logic tier's addresses are the functions' NATs.
 */
@Tag("lab")
class DeathstarIT {
  private static final Duration LIMIT = Duration.ofSeconds(420);

  @Test
  void functionsDeployment_lowRate_servesEveryRequestCorrectly() throws Exception {
    Path home = Path.of(System.getProperty("boxer.home", "..")).toAbsolutePath().normalize();
    Path jar = home.resolve("deathstar-demo/target/deathstar-demo.jar");
    assertThat(jar).as("run through `mvn verify` from the repository root").isRegularFile();
    Path out = home.resolve("integration-tests/target/lab-logs/deathstar-"
        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");

    try (HostProcess demo = HostProcess.startCommand("deathstar-demo", Map.of("BOXER_LOG_LEVEL", "info"),
        List.of(java.toString(), "-jar", jar.toString(), "demo", "--deployments", "3", "--workload", "mix",
            "--rates", "20", "--duration", "6", "--warmup", "2", "--rounds", "1", "--out", out.toString()),
        Path.of(out + ".log"))) {
      assertThat(demo.awaitExit(LIMIT)).as(demo.output()).isZero();

      Path dir = out.resolve("functions-boxer");
      assertThat(Files.readString(dir.resolve("logs/verify.log"))).contains("all checks passed");
      Map<String, String> row = csvRow(dir.resolve("results.csv"));
      assertThat(row).containsEntry("errors", "0").containsEntry("dropped", "0");
      assertThat(Long.parseLong(row.get("successes"))).as(row.toString())
          .isEqualTo(Long.parseLong(row.get("sent"))).isGreaterThan(50);
      // the frontend reached its downstream services at their functions' NAT addresses (198.18.0.100+K)
      String frontendConfig = Files.readString(dir.resolve("logs/frontend/frontend.properties"));
      assertThat(frontendConfig).contains("compose-post.address=198.18.0.101:9001")
          .contains("home-timeline.address=198.18.0.108:9008");
      // the demo knew each service was up from the file it wrote, not from its log
      assertThat(Files.readString(dir.resolve("logs/compose-post.ready.json")))
          .contains("\"role\":\"compose-post\"").contains("\"port\":9001");
      assertThat(out.resolve("report.md")).isRegularFile();
      assertThat(out.resolve("throughput-p90.png")).isRegularFile();
    }
  }

  /** The single data row of a results.csv, by column name. */
  private static Map<String, String> csvRow(Path csv) throws Exception {
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).as("%s", csv).hasSize(2);
    String[] header = lines.get(0).split(",");
    String[] values = lines.get(1).split(",");
    return IntStream.range(0, header.length).boxed()
        .collect(Collectors.toMap(i -> header[i], i -> i < values.length ? values[i] : ""));
  }
}
