package io.boxer.deathstar;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.deathstar.app.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/start-service finds each service by its role in the peers file, in any join order. A fake JAVA_HOME whose
 * java prints its arguments stands in for the service, so the test sees the config the script rendered.
 */
class StartServiceTest {
  @TempDir Path dir;

  private record Result(int exit, String output) {}

  private Result startService(String role, List<String> peerLines) throws Exception {
    Path javaHome = dir.resolve("jdk");
    Files.createDirectories(javaHome.resolve("bin"));
    Path java = Files.writeString(javaHome.resolve("bin/java"), "#!/bin/sh\necho \"java $*\"\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path peers = Files.write(dir.resolve("peers"), peerLines);
    Path jar = Files.writeString(dir.resolve("deathstar-demo.jar"), "not run");
    ProcessBuilder builder = new ProcessBuilder("bash", "bin/start-service", role).redirectErrorStream(true);
    builder.environment().putAll(Map.of("JAVA_HOME", javaHome.toString(), "BOXER_PEERS_FILE",
        peers.toString(), "DEATHSTAR_JAR", jar.toString(), "DEATHSTAR_WORK_DIR", dir.resolve("work").toString(),
        "DEATHSTAR_REDIS", "198.18.0.9:6379"));
    Process process = builder.start();
    assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
  }

  /** One member per service, in reverse role order (as they may join), plus a member that is no service. */
  private static List<String> members() {
    List<String> lines = new ArrayList<>();
    Role[] roles = Role.values();
    for (int i = 0; i < roles.length; i++) {
      lines.add((100 + i) + " 198.18.0." + (10 + roles.length - i) + " " + roles[roles.length - 1 - i].configName());
    }
    lines.add("200 198.18.0.99 client");
    return lines;
  }

  @Test
  void startService_findsEveryServiceByRole_inAnyJoinOrder() throws Exception {
    Result result = startService("text", members());

    assertThat(result.exit()).as(result.output()).isZero();
    String config = Files.readString(dir.resolve("work/text.properties"));
    Role[] roles = Role.values();
    for (int i = 0; i < roles.length; i++) {
      Role role = roles[roles.length - 1 - i];
      assertThat(config).contains(role.configName() + ".address=198.18.0." + (10 + roles.length - i) + ":"
          + role.defaultPort());
    }
    assertThat(config).contains("listen.port=" + Role.TEXT.defaultPort()).doesNotContain("198.18.0.99");
    assertThat(result.output()).contains("service text --config");
  }

  @Test
  void startService_refusesAPeersFileWithoutAService() throws Exception {
    List<String> missing = new ArrayList<>(members());
    missing.removeIf(l -> l.endsWith(" url-shorten"));
    Result noUrlShorten = startService("text", missing);
    assertThat(noUrlShorten.exit()).isEqualTo(2);
    assertThat(noUrlShorten.output()).contains("no member with role url-shorten");
  }

  @Test
  void startService_withSeveralInstancesOfARole_addressesTheFirst_andNamesThePeersFileForTheFrontend()
      throws Exception {
    List<String> twice = new ArrayList<>(members());
    twice.add("300 198.18.0.50 url-shorten");

    Result result = startService("frontend", twice);

    assertThat(result.exit()).as(result.output()).isZero();
    String config = Files.readString(dir.resolve("work/frontend.properties"));
    assertThat(config).contains("url-shorten.address=198.18.0." + (11 + Role.URL_SHORTEN.ordinal()) + ":9003")
        .doesNotContain("198.18.0.50")
        .contains("peers.file=" + dir.resolve("peers").toRealPath());
  }
}
