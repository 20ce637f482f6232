package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/ec2/boxer-seed.service, checked by systemd's own verifier (systemd-analyze verify, which bin/install-deps
 * installs) and against bin/boxer. No root and no lab needed. The verifier also checks that ExecStart's program
 * exists: /usr/bin/java, which the JDK that install-deps installs provides.
 */
class SeedServiceUnitIT {
  private static final Path HOME = Path.of(System.getProperty("boxer.home", "..")).toAbsolutePath().normalize();
  private static final Path UNIT = HOME.resolve("deploy/ec2/boxer-seed.service");

  @TempDir Path dir;

  @Test
  void unit_passesSystemdAnalyzeVerifyWithoutAWarning() throws Exception {
    LocalTool.Result result = LocalTool.find("systemd-analyze").run("verify", UNIT.toString());

    assertThat(result.exitCode()).as("systemd-analyze verify %s:%n%s", UNIT, result.output()).isZero();
    assertThat(result.output()).as("what systemd-analyze verify printed").isBlank();
  }

  @Test
  void verifier_reportsAMisspelledDirective() throws Exception {
    Path broken = dir.resolve("boxer-seed.service");
    Files.writeString(broken, unit().replace("ProtectSystem=strict", "ProtectSytem=strict"));

    LocalTool.Result result = LocalTool.find("systemd-analyze").run("verify", broken.toString());

    assertThat(result.output()).contains("Unknown key").contains("ProtectSytem");
  }

  @Test
  void unit_runsTheSeedWithBinBoxersJvmFlags() throws IOException {
    Matcher defaults = Pattern.compile("java_opts=\"\\$\\{BOXER_JAVA_OPTS-([^}]*)}\"")
        .matcher(Files.readString(HOME.resolve("bin/boxer")));
    assertThat(defaults.find()).as("bin/boxer's java_opts line").isTrue();

    assertThat(directive("ExecStart")).containsExactly("/usr/bin/java " + defaults.group(1)
        + " -jar /opt/boxer/cli/target/boxer.jar seed --port ${BOXER_SEED_PORT} --relay-port ${BOXER_RELAY_PORT} --token-file %S/boxer/seed-token");
  }

  @Test
  void unit_isHardenedAndKeepsTheTokenInItsStateDirectory() throws IOException {
    assertThat(directive("User")).containsExactly("boxer");
    assertThat(directive("NoNewPrivileges")).containsExactly("yes");
    assertThat(directive("ProtectSystem")).containsExactly("strict");
    assertThat(directive("StateDirectory")).containsExactly("boxer");
    assertThat(directive("StateDirectoryMode")).containsExactly("0700");
    assertThat(directive("UMask")).containsExactly("0077");
    assertThat(directive("Restart")).containsExactly("on-failure");
    assertThat(directive("EnvironmentFile")).containsExactly("-/etc/boxer/seed.env");
    assertThat(directive("CapabilityBoundingSet")).containsExactly("");
  }

  private static String unit() throws IOException {
    return Files.readString(UNIT);
  }

  private static List<String> directive(String key) throws IOException {
    return unit().lines().filter(line -> line.startsWith(key + "="))
        .map(line -> line.substring(key.length() + 1)).toList();
  }
}
