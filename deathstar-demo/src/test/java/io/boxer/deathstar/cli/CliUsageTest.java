package io.boxer.deathstar.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.deathstar.load.ResultFile;
import io.boxer.deathstar.load.LatencySummary;
import io.boxer.deathstar.load.RateResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad input is a usage error (exit 2) with a message naming the flag or key, before anything starts. */
class CliUsageTest {
  @TempDir Path dir;
  private final StringWriter err = new StringWriter();
  private final StringWriter out = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(out, true));
    return cli.execute(args);
  }

  @Test
  void noSubcommand_isUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required subcommand");
  }

  @Test
  void service_unknownRole_listsTheRoles() {
    assertThat(run("service", "nginx", "--config", "x")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown role 'nginx' (expected one of: frontend, compose-post");
  }

  @Test
  void service_withoutConfig_isUsageError() {
    assertThat(run("service", "text")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required option: '--config=FILE'");
  }

  @Test
  void service_missingConfigFile_isUsageError() {
    assertThat(run("service", "text", "--config", dir.resolve("none").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("does not exist");
  }

  @Test
  void service_configMissingAKey_namesIt() throws Exception {
    Path config = Files.writeString(dir.resolve("text.properties"), "listen.port=9002\n");

    assertThat(run("service", "text", "--config", config.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("url-shorten.address : missing");
  }

  @Test
  void load_withoutTarget_isUsageError() {
    assertThat(run("load", "--target=")).isEqualTo(2);
    assertThat(err.toString()).contains("--target : missing");
  }

  @Test
  void load_targetWithPath_isUsageError() {
    assertThat(run("load", "--target", "http://10.0.0.2:8080/api")).isEqualTo(2);
    assertThat(err.toString()).contains("--target : http://10.0.0.2:8080/api (expected: http://HOST:PORT)");
  }

  @Test
  void load_unknownWorkload_isUsageError() {
    assertThat(run("load", "--target", "http://10.0.0.2:8080", "--workload", "reads")).isEqualTo(2);
    assertThat(err.toString()).contains("unknown workload 'reads'");
  }

  @Test
  void load_zeroRate_isUsageError() {
    assertThat(run("load", "--target", "http://10.0.0.2:8080", "--rates", "50,0")).isEqualTo(2);
    assertThat(err.toString()).contains("--rates : 0.0 (expected: > 0 and <= 1000000 requests/s)");
  }

  @Test
  void load_zeroDuration_isUsageError() {
    assertThat(run("load", "--target", "http://10.0.0.2:8080", "--duration", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--duration : 0 (expected: 1..3600)");
  }

  @Test
  void load_capBelowConnections_isUsageError() {
    assertThat(run("load", "--target", "http://10.0.0.2:8080", "--connections", "64", "--max-outstanding", "8"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--max-outstanding : 8 (expected: >= connections");
  }

  @Test
  void verify_tooFewUsers_isUsageError() {
    assertThat(run("verify", "--target", "http://10.0.0.2:8080", "--users", "2")).isEqualTo(2);
    assertThat(err.toString()).contains("--users : 2 (expected: >= 3)");
  }

  @Test
  void verify_attemptsOutOfRange_isUsageError() {
    assertThat(run("verify", "--target", "http://10.0.0.2:8080", "--attempts", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--attempts : 0 (expected: 1..10)");
  }

  @Test
  void seedGraph_badRedisAddress_isUsageError() {
    assertThat(run("seed-graph", "--redis", "redis")).isEqualTo(2);
    assertThat(err.toString()).contains("(expected: HOST:PORT");
  }

  @Test
  void plot_missingFile_isUsageError() {
    assertThat(run("plot", "--out", dir.toString(), dir.resolve("none.json").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("is not a file");
  }

  @Test
  void plot_sameLabelTwice_isUsageError() throws Exception {
    RateResult r = new RateResult(10, 10, 1, 10, 10, 0, 0, new LatencySummary(10, 1, 2, 3, 4),
        new LatencySummary(10, 1, 2, 3, 4), "");
    Path a = new ResultFile("vm", "mix", List.of(r)).write(dir.resolve("a"));
    Path b = new ResultFile("vm", "mix", List.of(r)).write(dir.resolve("b"));

    assertThat(run("plot", "--out", dir.resolve("png").toString(), a.toString(), b.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("label 'vm' appears in more than one file");
  }

  @Test
  void plot_twoDeployments_writesThePngs() throws Exception {
    RateResult r = new RateResult(10, 10, 1, 10, 10, 0, 0, new LatencySummary(10, 1, 2, 3, 4),
        new LatencySummary(10, 1, 2, 3, 4), "");
    Path a = new ResultFile("vm", "mix", List.of(r)).write(dir.resolve("a"));
    Path b = new ResultFile("boxer", "mix", List.of(r)).write(dir.resolve("b"));

    assertThat(run("plot", "--out", dir.resolve("png").toString(), a.toString(), b.toString())).isEqualTo(0);
    assertThat(out.toString()).contains("vm: saturation throughput 10.0 req/s");
    assertThat(dir.resolve("png").resolve("throughput-p90.png")).isRegularFile();
  }

  @Test
  void burst_unknownVariant_namesTheAcceptedOnes() {
    assertThat(run("burst", "--variants", "functions,containers")).isEqualTo(2);
    assertThat(err.toString()).contains("--variants : containers (expected: functions or vms)");
  }

  @Test
  void burst_roleTheFrontendDoesNotCall_isUsageError() {
    assertThat(run("burst", "--role", "text")).isEqualTo(2);
    assertThat(err.toString()).contains("--role : text (expected: a role the frontend calls");
  }

  @Test
  void burst_burstWithoutASteadyWindowBeforeTheEnd_isUsageError() {
    assertThat(run("burst", "--duration", "60", "--burst-at", "58")).isEqualTo(2);
    assertThat(err.toString()).contains("--burst-at : 58 s (expected: 5..55");
  }

  @Test
  void stepLoad_stepOutsideTheRun_isUsageError() {
    assertThat(run("step-load", "--target", "http://127.0.0.1:1", "--out", dir.toString(), "--duration", "20",
        "--step-at", "20")).isEqualTo(2);
    assertThat(err.toString()).contains("--step-at : 20 (expected: 0..19, inside --duration)");
  }
}
