package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.boxer.control.tls.JoinToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/aws/boxer.yaml, checked by cfn-lint (AWS's CloudFormation linter: resource types, property names and
 * types, references, intrinsic functions), the version bin/install-deps pins. A broken copy must fail it, so
 * this cannot pass without a working validator. No AWS account, root or lab needed.
 */
class CloudFormationTemplateIT {
  private static final Path HOME = Path.of(System.getProperty("boxer.home", "..")).toAbsolutePath().normalize();
  private static final Path TEMPLATE = HOME.resolve("deploy/aws/boxer.yaml");
  /** Where bin/install-deps puts cfn-lint when it was not already on PATH. */
  private static final String INSTALLED = "/opt/boxer-tools/cfn-lint/bin/cfn-lint";

  @TempDir Path dir;

  @Test
  void template_passesCfnLint() throws Exception {
    LocalTool.Result result = cfnLint().run(TEMPLATE.toString());

    assertThat(result.exitCode()).as("cfn-lint %s:%n%s", TEMPLATE, result.output()).isZero();
  }

  @Test
  void cfnLint_failsATemplateWithAMisspelledProperty() throws Exception {
    Path broken = dir.resolve("broken.yaml");
    String template = Files.readString(TEMPLATE);
    assertThat(template).contains("      InstanceType: !Ref InstanceType\n");
    Files.writeString(broken,
        template.replace("      InstanceType: !Ref InstanceType\n", "      InstanceTyp: !Ref InstanceType\n"));

    LocalTool.Result result = cfnLint().run(broken.toString());

    assertThat(result.exitCode()).as("cfn-lint on a misspelled property:%n%s", result.output()).isNotZero();
    assertThat(result.output()).contains("InstanceTyp");
  }

  /**
   * The seed instance fetches from S3 exactly what docs/aws.md uploads, and the agent with the jars of its
   * Boot-Class-Path next to it (without them the agent does not start and `boxer run` there runs without Boxer).
   */
  @Test
  void seedFiles_fetchedAreTheUploadedOnes_andTheAgentHasItsBootClassPath() throws IOException {
    Map<String, String> fetched = new TreeMap<>(); // S3 name -> path on the instance
    Matcher fetch = Pattern.compile("aws s3 cp --quiet \"\\$src/([^\"]+)\" (\\S+)")
        .matcher(Files.readString(TEMPLATE));
    while (fetch.find()) {
      fetched.put(fetch.group(1), fetch.group(2));
    }
    Set<String> uploaded = new TreeSet<>();
    Matcher upload = Pattern.compile("aws s3 cp \\S+ +\"s3://\\$BUCKET/boxer/([^\"]+)\"")
        .matcher(Files.readString(HOME.resolve("docs/aws.md")));
    while (upload.find()) {
      uploaded.add(upload.group(1));
    }
    assertThat(fetched).as("files the UserData fetches").containsKey("boxer-agent.jar");
    assertThat(uploaded).as("files docs/aws.md uploads").containsAll(fetched.keySet());

    String bootClassPath;
    try (JarFile agent = new JarFile(HOME.resolve("agent/target/boxer-agent.jar").toFile())) {
      bootClassPath = agent.getManifest().getMainAttributes().getValue("Boot-Class-Path");
    }
    String agentPath = fetched.get("boxer-agent.jar");
    for (String jar : bootClassPath.trim().split("\\s+")) {
      assertThat(fetched.values()).as("%s next to %s", jar, agentPath)
          .contains(agentPath.substring(0, agentPath.lastIndexOf('/') + 1) + jar);
    }
  }

  @Test
  void generatedToken_isOneBoxerAccepts() throws IOException {
    String template = Files.readString(TEMPLATE);
    Matcher length = Pattern.compile("\\n {8}PasswordLength: (\\d+)\\n").matcher(template);
    assertThat(length.find()).as("GenerateSecretString.PasswordLength in %s", TEMPLATE).isTrue();
    assertThat(template).contains("\n        ExcludePunctuation: true\n", "\n        IncludeSpace: false\n");

    // what Secrets Manager can generate then: letters and digits of that length
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    SecureRandom random = new SecureRandom();
    StringBuilder token = new StringBuilder();
    for (int i = 0; i < Integer.parseInt(length.group(1)); i++) {
      token.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    assertThatCode(() -> JoinToken.parse(token.toString())).doesNotThrowAnyException();
  }

  private static LocalTool cfnLint() {
    return LocalTool.find("cfn-lint", INSTALLED);
  }
}
