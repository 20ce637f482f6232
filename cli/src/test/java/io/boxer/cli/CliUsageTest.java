package io.boxer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.testing.FakeAgentJar;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad input is a usage error (exit 2) with a message naming the flag, before anything is started. */
class CliUsageTest {
  private static final String TOKEN = "boxer_cli-usage-test-token-0123456789";
  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = Main.commandLine();
    cli.setErr(new PrintWriter(err, true));
    cli.setOut(new PrintWriter(new StringWriter(), true));
    return cli.execute(args);
  }

  private String agent() throws Exception {
    return FakeAgentJar.write(dir).toString();
  }

  @Test
  void run_withoutCommand_isUsageError() throws Exception {
    assertThat(run("run", "--seed", "198.18.0.2:7946", "--agent", agent())).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter: 'COMMAND'");
  }

  @Test
  void seed_readyFileInAMissingDirectory_isUsageError() {
    assertThat(run("seed", "--token", TOKEN, "--ready-file", dir.resolve("no/such/dir/ready.json").toString()))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--ready-file : ").contains("(expected: a file path in an existing directory)");
  }

  @Test
  void logLevel_unknown_isUsageError() throws Exception {
    assertThat(run("run", "--log-level", "verbose", "--seed", "198.18.0.2:7946", "--agent", agent(), "--", "true"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--log-level : verbose (expected: one of error, warn, info, debug, trace)");
  }

  @Test
  void logFormat_unknown_isUsageError() {
    assertThat(run("--log-format", "xml", "lab", "list")).isEqualTo(2);
    assertThat(err.toString()).contains("--log-format : xml (expected: one of text, json)");
  }

  @Test
  void run_withUnparsableSeed_isUsageError() throws Exception {
    assertThat(run("run", "--seed", "nope", "--agent", agent(), "--", "true")).isEqualTo(2);
    assertThat(err.toString()).contains("expected: HOST:PORT");
  }

  @Test
  void run_withZeroMembers_isUsageError() throws Exception {
    assertThat(run("run", "--seed", "198.18.0.2:7946", "--members", "0", "--agent", agent(), "--", "true")).isEqualTo(2);
    assertThat(err.toString()).contains("--members : 0 (expected: >= 1)");
  }

  @Test
  void run_withControlPortOutOfRange_isUsageError() throws Exception {
    assertThat(run("run", "--seed", "198.18.0.2:7946", "--control-port", "70000", "--agent", agent(), "--", "true"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--control-port : 70000");
  }

  @Test
  void run_withZeroJoinAttempts_isUsageError_namingTheOption() throws Exception {
    assertThat(run("run", "--seed", "198.18.0.2:7946", "--join-attempts", "0", "--agent", agent(), "--", "true"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--join-attempts : 0 (expected: >= 1)");
  }

  @Test
  void run_withAReadyFileInAMissingDirectory_orADirectory_isUsageError() throws Exception {
    String agent = agent();
    assertThat(run("run", "--seed", "198.18.0.2:7946", "--token", TOKEN, "--agent", agent,
        "--ready-file", dir.resolve("no/such/dir/ready.json").toString(), "--", "true")).isEqualTo(2);
    assertThat(run("run", "--seed", "198.18.0.2:7946", "--token", TOKEN, "--agent", agent,
        "--ready-file", dir.toString(), "--", "true")).isEqualTo(2);
    assertThat(err.toString()).contains("--ready-file : " + dir.resolve("no/such/dir/ready.json"))
        .contains("--ready-file : " + dir + " (expected: a file path in an existing directory)");
  }

  @Test
  void run_withAMetricsPortOutOfRange_isUsageError() throws Exception {
    assertThat(run("run", "--seed", "198.18.0.2:7946", "--token", TOKEN, "--agent", agent(), "--metrics-port", "0",
        "--", "true")).isEqualTo(2);
    assertThat(err.toString()).contains("--metrics-port : 0 (expected: 1..65535)");
  }

  @Test
  void run_withMissingAgentJar_isUsageError() {
    assertThat(run("run", "--seed", "198.18.0.2:7946", "--agent", dir.resolve("none.jar").toString(), "--", "true"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--agent").contains("boxer-agent.jar");
  }

  @Test
  void run_withAnAgentJarWithoutItsBootstrapJar_isUsageErrorNamingIt() throws Exception {
    Path agent = FakeAgentJar.write(dir);
    Files.delete(dir.resolve("boxer-agent-bootstrap.jar"));
    assertThat(run("run", "--seed", "198.18.0.2:7946", "--token", TOKEN, "--agent", agent.toString(), "--", "true"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--agent : " + agent + " needs boxer-agent-bootstrap.jar next to it");
  }

  @Test
  void run_withAClassDataArchiveThatIsNotOne_isUsageErrorNamingIt() throws Exception {
    Path notAnArchive = Files.writeString(dir.resolve("agent.jsa"), "not an archive");
    assertThat(run("run", "--seed", "198.18.0.2:7946", "--token", TOKEN, "--agent", agent(), "--class-data-archive",
        notAnArchive.toString(), "--", "true")).isEqualTo(2);
    assertThat(err.toString()).contains("--class-data-archive : " + notAnArchive + " is not a static CDS archive")
        .contains("PrepareClassDataArchive");
  }

  @Test
  void noSubcommand_isUsageError() {
    assertThat(run()).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required subcommand").contains("Usage: boxer");
  }

  @Test
  void seed_withPortOutOfRange_isUsageError() {
    assertThat(run("seed", "--port", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--port : 0 (expected: 1..65535)");
  }

  @Test
  void run_withUnreachableSeed_exitsOneWithAClearError() throws Exception {
    // port 1 on loopback: nothing listens, connects are refused at once
    assertThat(run("run", "--seed", "127.0.0.1:1", "--token", TOKEN, "--join-attempts", "2", "--agent", agent(),
        "--", "true")).isEqualTo(1);
    assertThat(err.toString()).contains("boxer: cannot reach the seed after 2 attempts");
  }

  @Test
  void run_withoutAToken_isUsageError_namingWhereTheTokenComesFrom() throws Exception {
    assertThat(run("run", "--seed", "198.18.0.2:7946", "--agent", agent(), "--", "true")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing join token: set BOXER_TOKEN or pass --token-file FILE");
  }

  @Test
  void run_withAShortToken_isUsageError_withoutEchoingIt() throws Exception {
    assertThat(run("run", "--seed", "198.18.0.2:7946", "--token", "tiny-secret", "--agent", agent(), "--", "true"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("join token : 11 characters").doesNotContain("tiny-secret");
  }

  @Test
  void run_withATokenFileOthersCanRead_isUsageError() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), TOKEN + "\n");
    Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
    assertThat(run("run", "--seed", "198.18.0.2:7946", "--token-file", file.toString(), "--agent", agent(), "--", "true"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("is accessible by other users").contains("chmod 600");
  }

  @Test
  void run_withTokenAndTokenFile_isUsageError() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), TOKEN);
    assertThat(run("run", "--seed", "198.18.0.2:7946", "--token", TOKEN, "--token-file", file.toString(),
        "--agent", agent(), "--", "true")).isEqualTo(2);
    assertThat(err.toString()).contains("both given");
  }

  @Test
  void run_withABadRole_isUsageError() throws Exception {
    assertThat(run("run", "--seed", "198.18.0.2:7946", "--token", TOKEN, "--role", "Web Tier", "--agent", agent(),
        "--", "true")).isEqualTo(2);
    assertThat(err.toString()).contains("--role : 'Web Tier'");
  }

  @Test
  void seed_withABadPolicyOrLifetime_isUsageError() throws Exception {
    Path policy = Files.writeString(dir.resolve("policy"), "frontend -> backend : 99999\n");
    assertThat(run("seed", "--token", TOKEN, "--policy", policy.toString())).isEqualTo(2);
    assertThat(err.toString()).contains(policy + ":1: port '99999' (expected: 1..65535)");
    assertThat(run("seed", "--token", TOKEN, "--cert-ttl", "10s")).isEqualTo(2);
    assertThat(err.toString()).contains("--cert-ttl : 10 s (expected: 30 s to 30 d");
    assertThat(run("seed", "--token", TOKEN, "--cert-ttl", "soon")).isEqualTo(2);
    assertThat(err.toString()).contains("'soon' (expected: a number and a unit s, m, h or d, e.g. 30m)");
  }

  @Test
  void seed_withABadVirtualRange_isUsageError_sayingWhatItExpects() {
    assertThat(run("seed", "--token", TOKEN, "--virtual-range", "100.64.0.0")).isEqualTo(2);
    assertThat(err.toString()).contains("--virtual-range : 100.64.0.0 (expected: an IPv4 block a.b.c.d/n with n in"
        + " 8..30, e.g. 100.64.0.0/10); or none");
    assertThat(run("seed", "--token", TOKEN, "--virtual-range", "100.64.0.1/10")).isEqualTo(2);
    assertThat(err.toString()).contains("--virtual-range : 100.64.0.1/10 (expected: the block's first address,"
        + " 100.64.0.0/10)");
  }

  @Test
  void seed_withOnlyHalfAUserCa_isUsageError() {
    assertThat(run("seed", "--token", TOKEN, "--ca-cert", dir.resolve("ca.pem").toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--ca-cert and --ca-key : only one given");
  }

  @Test
  void status_withoutANodeOrSeed_isUsageError() {
    assertThat(run("status")).isEqualTo(2); // the test JVM has no BOXER_AGENT_SOCKET
    assertThat(err.toString()).contains("No node to ask");
  }

  @Test
  void status_withNodeAndSeed_isUsageError() {
    assertThat(run("status", "--node", "/tmp/x.sock", "--seed", "198.18.0.2:7946", "--token", TOKEN)).isEqualTo(2);
    assertThat(err.toString()).contains("--node and --seed : both given");
  }

  @Test
  void status_ofTheSeedWithoutAToken_isUsageError() {
    assertThat(run("status", "--seed", "198.18.0.2:7946", "--token", "")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing join token for --seed");
  }

  @Test
  void seed_withMetricsPortOutOfRange_isUsageError() {
    assertThat(run("seed", "--token", TOKEN, "--metrics-port", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--metrics-port : 0 (expected: 1..65535)");
  }

  @Test
  void run_withABlankOnChange_isUsageError() throws Exception {
    assertThat(run("run", "--seed", "198.18.0.2:7946", "--token", TOKEN, "--agent", agent(), "--on-change", " ",
        "--", "true")).isEqualTo(2);
    assertThat(err.toString()).contains("--on-change : ' ' (expected: a shell command)");
  }

  @Test
  void run_withOnChangeTimeoutOutOfRange_isUsageError() throws Exception {
    assertThat(run("run", "--seed", "198.18.0.2:7946", "--token", TOKEN, "--agent", agent(), "--on-change", "true",
        "--on-change-timeout", "0", "--", "true")).isEqualTo(2);
    assertThat(err.toString()).contains("--on-change-timeout : 0 (expected: 1..3600)");
  }
}
