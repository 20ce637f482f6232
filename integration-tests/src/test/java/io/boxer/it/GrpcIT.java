package io.boxer.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.netlab.HostProcess;
import io.boxer.netlab.LabSpec;
import io.boxer.netlab.NatProfile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * An unmodified gRPC program (grpc-netty-shaded defaults: the native epoll transport, which bypasses the JDK's
 * sockets) under {@code boxer run} talks directly through both NATs ({@code lambda} profile), on JDK 17 and
 * JDK 25. Per JDK a server on one function and a client on another (one node per external address). Also
 * with Netty's NIO transport, whose non-blocking connect Boxer primes without blocking the event loop (and
 * which fails a connect whose OP_CONNECT fires early). One lab.
 */
@Tag("lab")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcIT {
  private static final Duration START = Duration.ofSeconds(60);
  private static final String PORT = "50051";
  private static final String MAIN = "io.boxer.examples.grpc.";
  private BoxerLab lab;

  @BeforeAll
  void startLab() throws Exception {
    lab = BoxerLab.start(LabSpec.builder().functions(8).vms(0).profile(NatProfile.LAMBDA).build());
  }

  @AfterAll
  void stopLab() throws Exception {
    if (lab != null) {
      lab.close();
    }
  }

  /** JDK 17: server on fn1, client on fn2; JDK 25: server on fn3, client on fn4. */
  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17, 25})
  void grpcHealthCheck_overEpoll_directlyThroughBothNats(int jdk) throws Exception {
    Path java = java(jdk);
    String serverHost = jdk == 17 ? "fn1" : "fn3";
    String clientHost = jdk == 17 ? "fn2" : "fn4";
    HostProcess server = lab.run(serverHost + "-grpc-server", lab.host(serverHost), null, java, jar(),
        MAIN + "HealthServer", PORT);
    server.awaitLine(l -> l.equals("listening on " + PORT), START);

    HostProcess client = lab.run(clientHost + "-grpc-client", lab.host(clientHost), 2, java, jar(),
        MAIN + "HealthClient", external(serverHost), PORT, "20000");

    assertThat(client.awaitExit(START)).as(client.output()).isZero();
    assertThat(client.output()).as("gRPC used the native epoll transport, which bypasses the JDK")
        .contains("epoll: true");
    assertThat(client.output()).contains("status: SERVING");
    // the connection came straight from the client's NAT, not through a relay
    String seen = server.awaitLine(l -> l.startsWith("client connected from "), Duration.ofSeconds(10));
    assertThat(seen).as(server.output()).startsWith("client connected from /" + external(clientHost) + ":");
  }

  /**
   * Netty's NIO transport (gRPC's fallback without native transports): its connect is a non-blocking
   * SocketChannel connect, deferred by Boxer until the prime answers while the event loop goes on; Netty fails
   * any connect whose OP_CONNECT fires before the connection is made, so this also proves no early readiness.
   */
  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17})
  void grpcHealthCheck_overNettyNio_directlyThroughBothNats(int jdk) throws Exception {
    List<String> nio = List.of("-Dio.grpc.netty.shaded.io.netty.transport.noNative=true");
    HostProcess server = lab.run("fn7-grpc-nio-server", lab.host("fn7"), null, java(jdk), nio, jar(),
        MAIN + "HealthServer", PORT);
    server.awaitLine(l -> l.equals("listening on " + PORT), START);

    HostProcess client = lab.run("fn8-grpc-nio-client", lab.host("fn8"), 2, java(jdk), nio, jar(),
        MAIN + "HealthClient", external("fn7"), PORT, "20000");

    assertThat(client.awaitExit(START)).as(client.output()).isZero();
    assertThat(client.output()).contains("epoll: false").contains("status: SERVING");
    String seen = server.awaitLine(l -> l.startsWith("client connected from "), Duration.ofSeconds(10));
    assertThat(seen).as(server.output()).startsWith("client connected from /" + external("fn8") + ":");
  }

  /** Negative control: the same client without Boxer cannot reach the function behind its NAT. */
  @ParameterizedTest(name = "JDK {0}")
  @ValueSource(ints = {17})
  void withoutBoxer_theSameClientCannotReachTheFunction(int jdk) throws Exception {
    HostProcess server = lab.run("fn5-grpc-server", lab.host("fn5"), null, java(jdk), jar(),
        MAIN + "HealthServer", PORT);
    server.awaitLine(l -> l.equals("listening on " + PORT), START);
    // fn6 never ran a Boxer node, so nothing was ever primed for it
    HostProcess client = lab.runWithoutBoxer("fn6-plain-grpc-client", lab.host("fn6"), java(jdk), jar(),
        MAIN + "HealthClient", external("fn5"), PORT, "3000");

    assertThat(client.awaitExit(START)).as(client.output()).isEqualTo(3);
    assertThat(client.output()).contains("epoll: true").doesNotContain("status: SERVING");
  }

  private Path jar() {
    Path jar = lab.file("examples-grpc/target/boxer-examples-grpc.jar");
    assertThat(jar).as("run through `mvn verify` from the repository root").isRegularFile();
    return jar;
  }

  private static Path java(int jdk) {
    Path java = Path.of(System.getProperty("boxer.jdk" + jdk + ".java", jdk == 17
        ? "/usr/lib/jvm/java-17-openjdk-amd64/bin/java" : "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));
    assertThat(Files.isExecutable(java)).as("JDK %d at %s", jdk, java).isTrue();
    return java;
  }

  private String external(String host) {
    return lab.host(host).externalAddress().getHostAddress();
  }
}
