package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.examples.echo.ConnectModes;
import io.boxer.netlab.HostProcess;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link EchoBehaviour} with the example programs on JDK 25. */
class EchoJdk25IT extends EchoBehaviour {
  @Override
  Path appJava() {
    return Path.of(System.getProperty("boxer.jdk25.java", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));
  }

  @Test
  void manyVirtualThreads_connectAtOnce() throws Exception {
    HostProcess client = lab().run("fn12-virtual", lab().host("fn12"), 3, ConnectModes.class,
        "virtual:50", external("fn2"), "5000", "vt");

    assertThat(client.awaitExit(Duration.ofSeconds(90))).as(client.output()).isZero();
    assertThat(client.output().lines().filter(l -> l.startsWith("reply: echo vt-"))).hasSize(50);
    assertThat(client.output()).contains("reply: echo vt-49 from " + external("fn12") + ":");
  }
}
