package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.boxer.control.tls.JoinToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
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
