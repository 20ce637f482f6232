package io.boxer.invoker;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.invoker.LambdaInvokeStandIn.Reply;
import io.boxer.proto.function.v1.FunctionRunResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Bad flags are usage errors (exit 2) whose message names the flag, and nothing reaches Lambda: a stand-in that
 * would answer every invocation counts the requests.
 */
class InvokeUsageTest {
  private static final String TOKEN = "boxer_invoke-usage-test-token-0123456789";
  private static LambdaInvokeStandIn lambda;

  @TempDir Path dir;
  private final StringWriter err = new StringWriter();

  @BeforeAll
  static void standIn() throws Exception {
    lambda = LambdaInvokeStandIn.start(Set.of("boxer-node"),
        (arrival, request) -> Reply.result(FunctionRunResult.getDefaultInstance()));
  }

  @AfterAll
  static void stop() {
    lambda.close();
  }

  @BeforeEach
  void noRequestsYet() {
    assertThat(lambda.requests()).isEmpty();
  }

  /** Valid flags, each replaced when {@code overrides} names it, then {@code -- true} unless overridden. */
  private int invoke(String... overrides) {
    List<String> args = new ArrayList<>(Arrays.asList(overrides));
    for (String[] flag : new String[][] {{"--function", "boxer-node"}, {"--count", "2"},
        {"--seed", "198.51.100.7:7946"}, {"--endpoint", lambda.endpoint()}, {"--region", "us-east-1"}}) {
      if (!args.contains(flag[0])) {
        args.addAll(0, List.of(flag));
      }
    }
    if (!args.contains("--")) {
      args.addAll(List.of("--", "true"));
    }
    int exit = execute(args.toArray(String[]::new));
    assertThat(lambda.requests()).as("requests sent despite a usage error").isEmpty();
    return exit;
  }

  private int execute(String... args) {
    CommandLine cli = new CommandLine(new InvokeCommand());
    cli.setOut(new PrintWriter(new StringWriter(), true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void count_outside1To500_isUsageError() {
    assertThat(invoke("--count", "0")).isEqualTo(2);
    assertThat(invoke("--count", "501")).isEqualTo(2);
    assertThat(err.toString()).contains("--count : 0 (expected: 1..500)").contains("--count : 501 (expected: 1..500)");
  }

  @Test
  void membersOutside1To500_isUsageError() {
    assertThat(invoke("--members", "0")).isEqualTo(2);
    assertThat(invoke("--members", "501")).isEqualTo(2);
    assertThat(err.toString()).contains("--members : 0 (expected: 1..500)").contains("--members : 501");
  }

  @Test
  void functionNameOutsideLambdasPattern_isUsageError() {
    assertThat(invoke("--function", "boxer node")).isEqualTo(2);
    assertThat(invoke("--function", "f".repeat(65))).isEqualTo(2);
    assertThat(invoke("--function", "arn:aws:lambda:us-east-1:12345:function:boxer")).isEqualTo(2);
    assertThat(err.toString()).contains("--function : 'boxer node' (expected: a Lambda function name")
        .contains("--function : '" + "f".repeat(65) + "'")
        .contains("--function : 'arn:aws:lambda:us-east-1:12345:function:boxer'");
  }

  @Test
  void seedWithoutPort_isUsageError() {
    assertThat(invoke("--seed", "seed.example")).isEqualTo(2);
    assertThat(err.toString()).contains("--seed : 'seed.example' (expected: HOST:PORT");
  }

  @Test
  void endpointThatIsNotAnHttpUrl_isUsageError() {
    assertThat(invoke("--endpoint", "ftp://127.0.0.1:21")).isEqualTo(2);
    assertThat(invoke("--endpoint", "localhost:4566")).isEqualTo(2);
    assertThat(invoke("--endpoint", "http://127.0.0.1:4566/functions?x=1")).isEqualTo(2);
    assertThat(err.toString()).contains("--endpoint : 'ftp://127.0.0.1:21' (expected: an http or https URL")
        .contains("--endpoint : 'localhost:4566'").contains("--endpoint : 'http://127.0.0.1:4566/functions?x=1'");
  }

  @Test
  void regionThatIsNoAwsRegion_isUsageError() {
    assertThat(invoke("--region", "mars")).isEqualTo(2);
    assertThat(err.toString()).contains("--region : 'mars' (expected: an AWS region, e.g. us-east-1)");
  }

  @Test
  void envWithoutValueOrWithABadName_orTwice_orBoxers_isUsageError() {
    assertThat(invoke("--env", "NO_VALUE")).isEqualTo(2);
    assertThat(invoke("--env", "1ST=x")).isEqualTo(2);
    assertThat(invoke("--env", "A=1", "--env", "A=2")).isEqualTo(2);
    assertThat(invoke("--env", "BOXER_TOKEN=x")).isEqualTo(2);
    assertThat(err.toString()).contains("--env : 'NO_VALUE' (expected: NAME=VALUE").contains("--env : '1ST'")
        .contains("--env : A given twice").contains("--env : BOXER_TOKEN (expected: no BOXER_ variable");
  }

  @Test
  void barrierTimeoutBeyondTheFunctionsLife_isUsageError() {
    assertThat(invoke("--barrier-timeout", "901")).isEqualTo(2);
    assertThat(invoke("--barrier-timeout", "0")).isEqualTo(2);
    assertThat(err.toString()).contains("--barrier-timeout : 901 (expected: 1..900").contains("--barrier-timeout : 0");
  }

  @Test
  void badRole_isUsageError() {
    assertThat(invoke("--role", "Web Tier")).isEqualTo(2);
    assertThat(err.toString()).contains("--role : 'Web Tier'");
  }

  @Test
  void tokenAndTokenFile_orAShortToken_orAFileOthersCanRead_isUsageError() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), TOKEN);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

    assertThat(invoke("--token", TOKEN, "--token-file", file.toString())).isEqualTo(2);
    assertThat(invoke("--token", "tiny-secret")).isEqualTo(2);
    assertThat(invoke("--token-file", file.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("--token and --token-file : both given")
        .contains("join token : 11 characters").doesNotContain("tiny-secret")
        .contains("--token-file : " + file + " is accessible by other users");
  }

  @Test
  void payloadOverLambdasLimit_isUsageError_forEachInvocationType() {
    String sixMegabytes = "x".repeat(6 * 1024 * 1024);
    String oneMegabyte = "x".repeat(1024 * 1024);

    assertThat(invoke("--env", "BIG=" + sixMegabytes)).isEqualTo(2);
    assertThat(invoke("--async", "--env", "BIG=" + oneMegabyte)).isEqualTo(2);

    assertThat(err.toString()).containsPattern("payload : \\d+ bytes \\(expected: at most 6291456, Lambda's 6 MB "
            + "limit for RequestResponse invocations")
        .containsPattern("payload : \\d+ bytes \\(expected: at most 1048576, Lambda's 1 MB limit for Event");
  }

  @Test
  void payloadJustUnderTheLimit_isSent() {
    // the event around the value takes about 100 bytes
    String almostOneMegabyte = "x".repeat(1024 * 1024 - 200);
    System.setProperty("aws.accessKeyId", LambdaInvokeStandIn.ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", LambdaInvokeStandIn.SECRET_KEY);
    try {
      assertThat(execute("--function", "boxer-node", "--count", "1", "--seed", "198.51.100.7:7946",
          "--region", "us-east-1", "--endpoint", lambda.endpoint(), "--async", "--env", "BIG=" + almostOneMegabyte,
          "--", "true")).as(err.toString()).isEqualTo(0);
      assertThat(lambda.requests()).hasSize(1);
      assertThat(lambda.requests().get(0).body().length).isBetween(1024 * 1024 - 200, 1024 * 1024);
    } finally {
      System.clearProperty("aws.accessKeyId");
      System.clearProperty("aws.secretAccessKey");
      lambda.clearRequests();
    }
  }

  @Test
  void missingCommand_isUsageError() {
    assertThat(invoke("--")).isEqualTo(2);
    assertThat(err.toString()).contains("Missing required parameter: 'COMMAND'");
  }
}
