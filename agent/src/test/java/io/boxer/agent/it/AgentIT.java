package io.boxer.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.ByteString;
import io.boxer.agent.fakenode.FakeNode;
import io.boxer.agent.it.probe.Probe;
import io.boxer.proto.agent.v1.MembershipView;
import io.boxer.proto.agent.v1.Prime;
import io.boxer.proto.agent.v1.PrimeReply;
import io.boxer.proto.v1.PrimeResult;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The real {@code -javaagent:target/boxer-agent.jar} in forked JVMs (JDK 17 and JDK 25) running {@link Probe},
 * against a {@link FakeNode} in this JVM. Needs no root. Packets go to loopback only: connects to the member
 * 198.18.99.1 are answered REFUSED/FAILED, which throw before the kernel connect.
 */
class AgentIT {
  /**
   * A connect that does not wait for the 1 s prime returns well before it; the first deferred connect of a
   * cold JVM loads the deferred-connect machinery, which took up to 255 ms on a loaded CI host.
   */
  private static final long RETURNS_AT_ONCE_MILLIS = 600;
  private static final String MEMBER = "198.18.99.1";
  private static final byte[] MEMBER_BYTES = {(byte) 198, 18, 99, 1};
  /** What {@code Probe relay} sends (RelayProbe.HELLO; the probe classes are package-private). */
  private static final String HELLO = "hello through the relay";
  /** This node's external address in the view: on no interface of this host, as a function's NAT address. */
  private static final String OWN_NAT = "198.18.99.7";
  private static final byte[] OWN_NAT_BYTES = {(byte) 198, 18, 99, 7};

  @TempDir
  Path dir;
  private FakeNode node;
  /**
   * BOXER_AGENT_CACHE of the probes: off, so that every probe rewrites the JDK's classes with ASM (the tests of the
   * cache set a directory).
   */
  private String cacheEnv = "off";
  /** Whether the probe's agent must print nothing on stderr (when it runs with the defaults). */
  private boolean quietAgent = true;

  static Stream<Jdk> jdks() {
    return Stream.of(
        new Jdk(17, System.getProperty("boxer.jdk17.java", "/usr/lib/jvm/java-17-openjdk-amd64/bin/java")),
        new Jdk(25, System.getProperty("boxer.jdk25.java", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java")));
  }

  @BeforeEach
  void startNode() throws IOException {
    node = new FakeNode(dir.resolve("agent.sock")).start();
    node.setView(MembershipView.newBuilder().addMemberIps(ByteString.copyFrom(MEMBER_BYTES)).build());
  }

  @AfterEach
  void stopNode() throws IOException {
    node.close();
  }

  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void socketConnectToMember_refused_failsFastWithOnePrime(Jdk jdk) throws Exception {
    node.setReply(reply(PrimeResult.REFUSED, "nothing listens on 4000"));
    Run run = run(jdk, "socket-connect", MEMBER, "4000");
    assertThat(run.out).containsEntry("exception", "java.net.ConnectException")
        .containsEntry("message", "Connection refused");
    assertThat(Long.parseLong(run.out.get("elapsedMillis"))).isLessThan(1000);
    assertThat(node.primes()).hasSize(1);
    Prime prime = node.primes().get(0);
    assertThat(prime.getLocalPort()).isBetween(1, 65535);
    assertThat(prime.getRemote().getIp().toByteArray()).containsExactly(MEMBER_BYTES);
    assertThat(prime.getRemote().getPort()).isEqualTo(4000);
    // the probe's Socket.connect(..., 2000): what is left of the app's timeout bounds the prime (default 5000)
    assertThat(prime.getTimeoutMs()).isBetween(1, 2000);
  }

  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void socketConnectToMember_failed_boxerConnectException(Jdk jdk) throws Exception {
    node.setReply(reply(PrimeResult.FAILED, "peer unreachable"));
    Run run = run(jdk, "socket-connect", MEMBER, "4000");
    assertThat(run.out).containsEntry("exception", "java.net.ConnectException")
        .containsEntry("message", "Boxer: priming 198.18.99.1:4000 failed: peer unreachable");
    assertThat(node.primes()).hasSize(1);
  }

  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void socketConnectToMember_silentNode_timesOutWithConfiguredTimeout(Jdk jdk) throws Exception {
    node.setSilent();
    Run run = run(jdk, List.of("-Dboxer.prime.timeout.ms=300"), "socket-connect", MEMBER, "4000");
    assertThat(run.out).containsEntry("exception", "java.net.ConnectException");
    assertThat(run.out.get("message")).startsWith("Boxer: priming 198.18.99.1:4000 failed: local node: timed out");
    assertThat(Long.parseLong(run.out.get("elapsedMillis"))).isBetween(300L, 1500L);
    assertThat(node.primes()).singleElement().extracting(Prime::getTimeoutMs).isEqualTo(300);
  }

  /**
   * Issue 3: a non-blocking connect must not block its caller for the prime. One selector thread keeps a
   * loopback ping-pong going while a connect to a member is pending on it (the node does not answer: the prime
   * runs for its whole timeout); the selector must report OP_CONNECT once, when the prime has failed, and
   * finishConnect must then throw the failure.
   */
  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void nonBlockingConnectToMember_slowPrime_selectorThreadKeepsServing(Jdk jdk) throws Exception {
    node.setSilent();
    Run run = run(jdk, List.of("-Dboxer.prime.timeout.ms=1000"), "selector-connect", MEMBER, "4000");
    assertThat(run.out).containsEntry("connectedAtOnce", "false").containsEntry("connectEvents", "1")
        .containsEntry("falseFinishes", "0").containsEntry("exception", "java.net.ConnectException");
    assertThat(Long.parseLong(run.out.get("connectMillis"))).isLessThan(RETURNS_AT_ONCE_MILLIS);
    assertThat(run.out.get("message")).startsWith("Boxer: priming 198.18.99.1:4000 failed: local node: timed out");
    assertThat(Long.parseLong(run.out.get("elapsedMillis"))).isBetween(1000L, 4000L);
    // loopback round trips take microseconds: a selector blocked by the prime would serve none of them
    assertThat(Long.parseLong(run.out.get("roundTripsWhilePending"))).isGreaterThan(100);
    assertThat(node.primes()).singleElement().extracting(Prime::getTimeoutMs).isEqualTo(1000);
  }

  /**
   * An AsynchronousSocketChannel's connect returns its Future at once while the prime runs (the node does not
   * answer: the prime runs for its whole timeout), and the Future then fails with the Boxer failure.
   */
  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void asyncConnectToMember_slowPrime_returnsAtOnce_thenFailsTheFuture(Jdk jdk) throws Exception {
    node.setSilent();
    Run run = run(jdk, List.of("-Dboxer.prime.timeout.ms=1000"), "async-connect", MEMBER, "4000");
    assertThat(Long.parseLong(run.out.get("connectMillis"))).isLessThan(RETURNS_AT_ONCE_MILLIS);
    assertThat(run.out).containsEntry("exception", "java.net.ConnectException");
    assertThat(run.out.get("message")).startsWith("Boxer: priming 198.18.99.1:4000 failed: local node: timed out");
    assertThat(Long.parseLong(run.out.get("elapsedMillis"))).isBetween(1000L, 4000L);
    assertThat(node.primes()).singleElement().extracting(Prime::getTimeoutMs).isEqualTo(1000);
  }

  /**
   * Netty's native epoll: the event loop keeps running a 1 ms task while its connect to a member is pending for
   * a slow prime (the node does not answer); the connect then fails with the Boxer failure.
   */
  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void nettyEpollConnectToMember_slowPrime_eventLoopKeepsRunning(Jdk jdk) throws Exception {
    node.setSilent();
    Run run = run(jdk, List.of("-Dboxer.prime.timeout.ms=1000"), "netty-epoll-ticking", MEMBER, "4000");
    assertThat(run.out).containsEntry("connectException", "true");
    assertThat(run.out.get("message")).startsWith("Boxer: priming 198.18.99.1:4000 failed: local node: timed out");
    assertThat(Long.parseLong(run.out.get("elapsedMillis"))).isBetween(1000L, 4000L);
    // a 1 ms fixed-delay task: several hundred runs in a second, none while a blocked loop waits for the prime
    assertThat(Long.parseLong(run.out.get("ticksWhilePending"))).isGreaterThan(100);
    assertThat(node.primes()).singleElement().extracting(Prime::getTimeoutMs).isEqualTo(1000);
  }

  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void timedSocketConnectToMember_silentNode_timesOutWithTheAppsTimeout(Jdk jdk) throws Exception {
    node.setSilent();
    Run run = run(jdk, "socket-connect-timeout", MEMBER, "4000", "300");
    // as without Boxer: the application's timeout covers priming and expires as a SocketTimeoutException
    assertThat(run.out).containsEntry("exception", "java.net.SocketTimeoutException")
        .containsEntry("message", "Connect timed out");
    assertThat(Long.parseLong(run.out.get("elapsedMillis"))).isBetween(290L, 1200L);
    assertThat(node.primes()).singleElement().satisfies(p -> assertThat(p.getTimeoutMs()).isBetween(1, 300));
  }

  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void socketChannelConnectToMember_refused_samePath(Jdk jdk) throws Exception {
    node.setReply(reply(PrimeResult.REFUSED, ""));
    Run run = run(jdk, "channel-connect", MEMBER, "4001");
    assertThat(run.out).containsEntry("exception", "java.net.ConnectException")
        .containsEntry("message", "Connection refused");
    assertThat(node.primes()).singleElement().satisfies(p -> {
      assertThat(p.getRemote().getPort()).isEqualTo(4001);
      assertThat(p.getLocalPort()).isPositive();
    });
  }

  /** Netty's native epoll transport bypasses the JDK; the agent hooks its unix Socket.connect instead. */
  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void nettyEpollConnectToMember_refused_failsWithConnectExceptionAndOnePrime(Jdk jdk) throws Exception {
    node.setReply(reply(PrimeResult.REFUSED, "nothing listens on 4002"));
    Run run = run(jdk, "netty-epoll-connect", MEMBER, "4002");
    assertThat(run.out).containsEntry("epoll.available", "true").containsEntry("connectException", "true");
    assertThat(run.out.get("message")).startsWith("Connection refused");
    assertThat(Long.parseLong(run.out.get("elapsedMillis"))).isLessThan(1000);
    assertThat(node.primes()).singleElement().satisfies(p -> {
      assertThat(p.getRemote().getIp().toByteArray()).containsExactly(MEMBER_BYTES);
      assertThat(p.getRemote().getPort()).isEqualTo(4002);
      assertThat(p.getLocalPort()).isBetween(1, 65535);
    });
  }

  /** Every kind of connect the agent primes, as {@code Probe relay KIND} names them. */
  static Stream<Arguments> jdksAndConnectKinds() {
    return jdks().flatMap(jdk -> Stream.of("socket", "socket-timeout", "channel", "selector", "async", "netty-epoll")
        .map(kind -> Arguments.of(jdk, kind)));
  }

  /**
   * Issue 10: the node answers USE_RELAY. Three connects to the member, which nothing answers (198.18.99.1 is
   * on no interface): port 4000 is relayed to the node's relay endpoint, whose server gets the application's
   * bytes and answers; port 4001 gets an endpoint off loopback; port 4002 one that nothing listens on.
   */
  @ParameterizedTest(name = "JDK {0}, {1}")
  @MethodSource("jdksAndConnectKinds")
  void useRelay_bytesReachTheRelayEndpoint_socketReportsTheMember_badEndpointsFailNamingTheStep(Jdk jdk, String kind)
      throws Exception {
    InetSocketAddress relay = node.relayEndpoint();
    InetSocketAddress gone;
    try (ServerSocketChannel closed = ServerSocketChannel.open()) {
      closed.bind(new InetSocketAddress(relay.getAddress(), 0));
      gone = (InetSocketAddress) closed.getLocalAddress();
    }
    node.setReplies(prime -> switch (prime.getRemote().getPort()) {
      case 4000 -> FakeNode.useRelay(relay);
      case 4001 -> FakeNode.useRelay(new InetSocketAddress("198.18.99.3", relay.getPort()));
      default -> FakeNode.useRelay(gone);
    });

    Run run = run(jdk, "relay", kind, MEMBER, "4000", "4001", "4002");

    assertThat(run.out).doesNotContainKey("4000.exception").containsEntry("4000.reply", "relayed:" + HELLO);
    assertThat(node.relayedLines()).containsExactly(HELLO);
    if (kind.equals("netty-epoll")) {
      // Netty asks the kernel (getpeername) and keeps only the host string it was given
      assertThat(run.out).containsEntry("4000.remote", MEMBER + "/127.0.0.1:" + relay.getPort());
    } else {
      assertThat(run.out).containsEntry("4000.remote", "/" + MEMBER + ":4000");
    }
    if (kind.startsWith("socket")) {
      assertThat(run.out).containsEntry("4000.inetAddress", MEMBER).containsEntry("4000.port", "4000");
    }
    if (kind.equals("netty-epoll")) {
      // Netty reads its local address once, when its connect returns "in progress": before the deferred kernel
      // connect, the socket is bound (for the prime) to the wildcard, as for every primed Netty connect
      assertThat(run.out.get("4000.local")).matches("/(0\\.0\\.0\\.0|\\[0:0:0:0:0:0:0:0\\]):\\d+");
    } else {
      assertThat(run.out.get("4000.local")).startsWith("/127.0.0.1:");
    }
    // Netty wraps a ConnectException in its subclass, the message followed by ": " and the remote address
    String connectException = kind.equals("netty-epoll")
        ? "io.netty.channel.AbstractChannel$AnnotatedConnectException" : "java.net.ConnectException";
    assertThat(run.out).containsEntry("4001.exception", connectException);
    assertThat(run.out.get("4001.message")).startsWith("Boxer: priming 198.18.99.1:4001 failed: node offered an "
        + "invalid relay endpoint (198.18.99.3:" + relay.getPort() + " is not loopback)");
    assertThat(run.out).containsEntry("4002.exception", connectException);
    assertThat(run.out.get("4002.message")).startsWith("Boxer: relay to 198.18.99.1:4002 failed: connect to "
        + "127.0.0.1:" + gone.getPort() + ": Connection refused");
    assertThat(node.primes()).extracting(p -> p.getRemote().getPort()).containsExactly(4000, 4001, 4002);
  }

  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void connectToNonMember_untouched_noPrime(Jdk jdk) throws Exception {
    node.setReply(reply(PrimeResult.REFUSED, ""));
    Run run = run(jdk, "loopback-echo");
    assertThat(run.out).containsEntry("echo", "42").doesNotContainKey("exception");
    assertThat(node.primes()).isEmpty();
    assertThat(node.watchRequests()).as("the agent watched membership").isEqualTo(1);
  }

  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void connectToLoopbackMember_primed_bindsFirstAndReportsTheRealLocalPort(Jdk jdk) throws Exception {
    node.setView(MembershipView.newBuilder()
        .addMemberIps(ByteString.copyFrom(new byte[] {127, 0, 0, 1})).build());
    node.setReply(reply(PrimeResult.PRIMED, ""));
    Run run = run(jdk, "loopback-echo");
    assertThat(run.out).containsEntry("echo", "42").containsEntry("client.remote", "/127.0.0.1:"
        + node.primes().get(0).getRemote().getPort());
    // the connect's own prime; a PRIMED answer also lets the warm port pool prime a port of its own (Prime.pool)
    assertThat(node.primes()).filteredOn(p -> !p.getPool()).singleElement().satisfies(p -> {
      assertThat(p.getLocalPort()).isEqualTo(Integer.parseInt(run.out.get("client.localPort")));
      assertThat(p.getLocalPort()).isEqualTo(Integer.parseInt(run.out.get("server.peerPort")));
    });
    assertThat(node.primes()).filteredOn(Prime::getPool).allSatisfy(p -> {
      assertThat(p.getRemote()).isEqualTo(node.primes().get(0).getRemote());
      assertThat(p.getLocalPort()).isNotEqualTo(Integer.parseInt(run.out.get("client.localPort")));
    });
  }

  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void ownExternalAddress_bindsTheWildcardAndConnectsThroughLoopback_withoutPriming(Jdk jdk) throws Exception {
    // 198.18.99.7 is on no interface of this host, as a function's NAT address is not
    node.setView(MembershipView.newBuilder()
        .addMemberIps(ByteString.copyFrom(MEMBER_BYTES))
        .setOwnIp(ByteString.copyFrom(new byte[] {(byte) 198, 18, 99, 7}))
        .build());
    node.setReply(reply(PrimeResult.FAILED, "must not be asked"));

    Run run = run(jdk, "own-address-echo", "198.18.99.7");

    assertThat(run.out).containsEntry("echo", "42").doesNotContainKey("exception").doesNotContainKey("server.exception");
    // the kernel binds the wildcard (binding 198.18.99.7 itself fails: no interface has it), yet the app's
    // sockets keep answering with the addresses it asked for, as the JDK keeps its own copies
    assertThat(run.out).containsEntry("server.bound", "198.18.99.7");
    assertThat(run.out.get("client.remote")).startsWith("/198.18.99.7:");
    assertThat(node.primes()).isEmpty();
  }

  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void ownExternalAddress_isOneOfTheMachinesAddresses_andTheLocalHost(Jdk jdk) throws Exception {
    node.setView(MembershipView.newBuilder()
        .addMemberIps(ByteString.copyFrom(MEMBER_BYTES))
        .setOwnIp(ByteString.copyFrom(OWN_NAT_BYTES))
        .build());

    Run run = run(jdk, "own-address-view", OWN_NAT);

    // the interface that has it is a real one (up, not loopback), the same for every lookup
    assertThat(run.out.get("byAddress")).isNotIn("none", "lo");
    assertThat(run.out).containsEntry("carrier.up", "true")
        .containsEntry("enumerated", "true").containsEntry("streamed", "true")
        .containsEntry("binding", OWN_NAT + "/32 broadcast null")
        .containsEntry("byName.has", "true").containsEntry("byIndex.has", "true")
        .containsEntry("byName.equalsByAddress", "true");
    InetAddress realLocalHost = InetAddress.getLocalHost();
    assertThat(run.out).containsEntry("localHost.address", OWN_NAT)
        .containsEntry("localHost.name", realLocalHost.getHostName());
  }

  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void noOwnAddressInTheView_machinesAddressesUnchanged(Jdk jdk) throws Exception {
    Run run = run(jdk, "own-address-view", OWN_NAT);

    InetAddress realLocalHost = InetAddress.getLocalHost();
    assertThat(run.out).containsEntry("byAddress", "none").containsEntry("enumerated", "false")
        .containsEntry("streamed", "false")
        .containsEntry("localHost.address", realLocalHost.getHostAddress())
        .containsEntry("localHost.name", realLocalHost.getHostName());
  }

  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void udpConnectToMember_noPrime_noReusePort(Jdk jdk) throws Exception {
    // Loopback as a member too: a UDP socket bound to 127.0.0.1 can connect (route-wise) only there.
    node.setView(MembershipView.newBuilder().addMemberIps(ByteString.copyFrom(MEMBER_BYTES))
        .addMemberIps(ByteString.copyFrom(new byte[] {127, 0, 0, 1})).build());
    node.setReply(reply(PrimeResult.REFUSED, ""));
    Run run = run(jdk, "udp-connect", "127.0.0.1", "4000");
    assertThat(run.out).containsEntry("connected", "true").containsEntry("udp.reuseport", "false");
    assertThat(node.primes()).isEmpty();
  }

  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void tcpBind_getsReusePort_butAPortInUseStaysInUse(Jdk jdk) throws Exception {
    Run run = run(jdk, "reuseport");
    assertThat(run.out).containsEntry("server.reuseport", "true").containsEntry("client.reuseport", "true")
        .containsEntry("second.bind", "java.net.BindException").containsEntry("shared.bind", "ok");
  }

  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void tcpBind_toAPortAnotherBoxerProcessListensOn_isAddressInUse(Jdk jdk) throws Exception {
    // the other process's server, as the agent leaves it: with SO_REUSEPORT, which the application did not ask for
    try (ServerSocketChannel other = ServerSocketChannel.open()) {
      other.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      other.bind(new InetSocketAddress("127.0.0.1", 0));
      int port = ((InetSocketAddress) other.getLocalAddress()).getPort();

      Run run = run(jdk, "bind-port", Integer.toString(port));

      assertThat(run.out).containsEntry("bind", "java.net.BindException");
    }
  }

  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void tcpBind_withoutAgent_noReusePort(Jdk jdk) throws Exception {
    Run run = run(jdk, null, List.of(), "reuseport");
    assertThat(run.out).containsEntry("server.reuseport", "false")
        .containsEntry("second.bind", "java.net.BindException").containsEntry("shared.bind", "ok");
  }

  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void agent_isIsolated(Jdk jdk) throws Exception {
    Path classLog = dir.resolve("classes.log");
    Run run = run(jdk, List.of("-Xlog:class+load=info:file=" + classLog), "isolation");
    assertThat(run.out).containsEntry("asm", "absent").containsEntry("protobuf", "absent")
        .containsEntry("hooks.loader", "null").containsEntry("hooks.appCopy", "false");
    List<String> loaded = Files.readAllLines(classLog);
    assertThat(loaded).as("the class load log works").anyMatch(l -> l.contains(" io.boxer.agent.shaded.asm.ClassReader "));
    Path bootstrapJar = agentJar().resolveSibling("boxer-agent-bootstrap.jar").toAbsolutePath();
    assertThat(loaded).anyMatch(l -> l.contains(" io.boxer.agent.bootstrap.BoxerHooks source: " + bootstrapJar));
    assertThat(loaded).noneMatch(l -> l.contains(" io.grpc.") || l.contains(" io.netty.") || l.contains(" net.bytebuddy.")
        || l.contains(" org.objectweb.asm.") || l.contains(" com.google.protobuf.") || l.contains(" io.boxer.proto."));
    assertThat(loaded).filteredOn(l -> l.contains(" io.boxer.agent.bootstrap.BoxerHooks ")).hasSize(1);
  }

  /**
   * The rewritten JDK classes are kept for the next JVM: the first JVM rewrites them with ASM and stores them; the
   * next loads them from the cache, loads no ASM class at all (the boot classes are still verified as they load:
   * see run) and behaves the same, for binds and for primed connects.
   */
  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void agent_rewriteCache_nextJvmLoadsNoAsm_andBehavesTheSame(Jdk jdk) throws Exception {
    Path cache = dir.resolve("cache");
    cacheEnv = cache.toString();
    node.setReply(reply(PrimeResult.REFUSED, "nothing listens on 4000"));
    Path firstLog = dir.resolve("first.log");
    Run first = run(jdk, List.of("-Xlog:class+load=info:file=" + firstLog), "socket-connect", MEMBER, "4000");
    assertThat(first.out).containsEntry("message", "Connection refused");
    assertThat(Files.readAllLines(firstLog)).as("ASM rewrote the classes")
        .anyMatch(l -> l.contains(" io.boxer.agent.shaded.asm.ClassReader "));
    try (Stream<Path> entries = Files.list(cache)) {
      assertThat(entries.map(p -> p.getFileName().toString())).as("entries")
          .anyMatch(n -> n.startsWith("sun.nio.ch.Net-")).anyMatch(n -> n.startsWith("java.net.InetAddress-"))
          .allMatch(n -> n.endsWith(".class.rw"));
    }

    Path secondLog = dir.resolve("second.log");
    Run second = run(jdk, List.of("-Xlog:class+load=info:file=" + secondLog), "socket-connect", MEMBER, "4000");
    assertThat(second.out).containsEntry("exception", "java.net.ConnectException")
        .containsEntry("message", "Connection refused");
    assertThat(node.primes()).as("one prime per JVM").hasSize(2);
    Path thirdLog = dir.resolve("third.log");
    Run third = run(jdk, List.of("-Xlog:class+load=info:file=" + thirdLog), "reuseport");
    assertThat(third.out).containsEntry("server.reuseport", "true").containsEntry("shared.bind", "ok");
    for (Path log : List.of(secondLog, thirdLog)) {
      List<String> loaded = Files.readAllLines(log);
      assertThat(loaded).as("the class load log works").anyMatch(l -> l.contains(" sun.nio.ch.Net "));
      assertThat(loaded).as("%s: no ASM", log.getFileName())
          .noneMatch(l -> l.contains(" io.boxer.agent.shaded.asm.") || l.contains(" io.boxer.agent.nio.")
              || l.contains(" io.boxer.agent.rewrite."));
    }
  }

  /**
   * What the Lambda image's build runs: PrepareRewriteCache, in a JVM with the agent and no node, stores every JDK
   * class the agent rewrites and says so; the next JVM then loads no ASM. Without the agent it fails, naming why.
   */
  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void prepareRewriteCache_storesEveryClass_forTheNextJvm(Jdk jdk) throws Exception {
    Path cache = dir.resolve("image-cache");
    String agent = agentJar().toAbsolutePath().toString();
    List<String> withoutAgent = List.of(jdk.java, "-cp", agent, "io.boxer.agent.PrepareRewriteCache");
    Prepared refused = prepare(withoutAgent, cache);
    assertThat(refused.exitCode).isEqualTo(1);
    assertThat(refused.err).contains("was this JVM started with -javaagent:boxer-agent.jar");

    Prepared prepared = prepare(List.of(jdk.java, "-javaagent:" + agent, "-cp", agent,
        "io.boxer.agent.PrepareRewriteCache"), cache);
    assertThat(prepared.exitCode).as("stderr: %s", prepared.err).isZero();
    assertThat(prepared.out.lines()).hasSize(6).allMatch(l -> l.startsWith("cached "))
        .contains("cached sun.nio.ch.Net", "cached java.net.InetAddress");

    cacheEnv = cache.toString();
    Path log = dir.resolve("classes.log");
    Run run = run(jdk, List.of("-Xlog:class+load=info:file=" + log), "reuseport");
    assertThat(run.out).containsEntry("server.reuseport", "true");
    assertThat(Files.readAllLines(log)).noneMatch(l -> l.contains(" io.boxer.agent.shaded.asm."));
  }

  private record Prepared(int exitCode, String out, String err) {}

  private Prepared prepare(List<String> cmd, Path cache) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().put("BOXER_AGENT_CACHE", cache.toString());
    pb.environment().put("BOXER_AGENT_SOCKET", dir.resolve("none.sock").toString());
    pb.redirectOutput(dir.resolve("prepare.out").toFile()).redirectError(dir.resolve("prepare.err").toFile());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("PrepareRewriteCache did not finish within 60 s: " + cmd);
    }
    return new Prepared(p.exitValue(), Files.readString(dir.resolve("prepare.out")),
        Files.readString(dir.resolve("prepare.err")));
  }

  /** A cache directory others could write to would let them change java.base: refused, said once, not used. */
  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void agent_rewriteCacheWritableByOthers_saysSoAndRewritesWithoutIt(Jdk jdk) throws Exception {
    Path shared = Files.createDirectory(dir.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    cacheEnv = shared.toString();
    quietAgent = false;

    Run run = run(jdk, "reuseport");

    assertThat(run.out).containsEntry("server.reuseport", "true");
    assertThat(run.boxerErrLines()).singleElement().asString().contains("not using the cache of rewritten classes")
        .contains("BOXER_AGENT_CACHE").contains(shared + " is writable by group or others");
    try (Stream<Path> entries = Files.list(shared)) {
      assertThat(entries).isEmpty();
    }
  }

  /** No node yet: the agent installs, writes no file, loads no protobuf and makes the JVM print nothing. */
  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void agent_noNode_installsQuietlyWithoutFilesOrProtobuf(Jdk jdk) throws Exception {
    Path tmp = Files.createDirectory(dir.resolve("tmp"));
    Path classLog = dir.resolve("classes.log");
    Run run = run(jdk, agentJar(), dir.resolve("none.sock").toString(),
        List.of("-Djava.io.tmpdir=" + tmp, "-Xlog:class+load=info:file=" + classLog), "reuseport");
    assertThat(run.out).as("installed").containsEntry("server.reuseport", "true");
    assertThat(run.err).as("stderr").isEmpty();
    try (Stream<Path> files = Files.list(tmp)) {
      assertThat(files).as("files in java.io.tmpdir").isEmpty();
    }
    List<String> loaded = Files.readAllLines(classLog);
    assertThat(loaded).as("the class load log works").anyMatch(l -> l.contains(" io.boxer.agent.BoxerAgent "));
    assertThat(loaded).noneMatch(l -> l.contains(" io.boxer.agent.shaded.protobuf.")
        || l.contains(" io.boxer.agent.shaded.proto."));
  }

  /** {@code boxer run --agent-flag agentlib}: the same agent through -agentlib:instrument=, for a class-path program. */
  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void agent_loadedAsAgentlib_installsTheSame(Jdk jdk) throws Exception {
    Run run = run(jdk, "-agentlib:instrument=", agentJar(), node.socket().toString(), List.of(), "reuseport");
    assertThat(run.out).containsEntry("server.reuseport", "true");
    assertThat(run.boxerErrLines()).isEmpty();
  }

  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void agent_bootstrapJarMissing_reportsOneLineAndInstallsNothing(Jdk jdk) throws Exception {
    Path lonely = Files.copy(agentJar(), Files.createDirectory(dir.resolve("lonely")).resolve("boxer-agent.jar"));
    Run run = run(jdk, lonely, node.socket().toString(), List.of(), "reuseport");
    assertThat(run.boxerErrLines()).singleElement().asString().contains("failed to start")
        .contains("boxer-agent-bootstrap.jar is not on the boot class path");
    assertThat(run.out).containsEntry("server.reuseport", "false");
  }

  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void agent_withoutSocketEnv_warnsAndInstallsNothing(Jdk jdk) throws Exception {
    Run run = run(jdk, "", List.of(), "reuseport");
    assertThat(run.boxerErrLines()).singleElement().asString().contains("BOXER_AGENT_SOCKET is not set");
    assertThat(run.out).containsEntry("server.reuseport", "false");
  }

  @ParameterizedTest(name = "JDK {0}")
  @MethodSource("jdks")
  void agent_invalidTimeout_reportsSettingAndInstallsNothing(Jdk jdk) throws Exception {
    Run run = run(jdk, List.of("-Dboxer.prime.timeout.ms=5s"), "reuseport");
    assertThat(run.boxerErrLines()).singleElement().asString()
        .contains("failed to start").contains("boxer.prime.timeout.ms : '5s'");
    assertThat(run.out).containsEntry("server.reuseport", "false").containsEntry("done", "true");
  }

  private Run run(Jdk jdk, String... probeArgs) throws Exception {
    return run(jdk, List.of(), probeArgs);
  }

  private Run run(Jdk jdk, List<String> jvmArgs, String... probeArgs) throws Exception {
    return run(jdk, node.socket().toString(), jvmArgs, probeArgs);
  }

  private static Path agentJar() {
    Path agentJar = Path.of(System.getProperty("boxer.agentJar", "target/boxer-agent.jar"));
    if (!Files.isRegularFile(agentJar) || !Files.isRegularFile(agentJar.resolveSibling("boxer-agent-bootstrap.jar"))) {
      fail(agentJar + " or boxer-agent-bootstrap.jar next to it is missing: run `mvn verify` (both are built in "
          + "the package phase)");
    }
    return agentJar;
  }

  /** @param socketEnv BOXER_AGENT_SOCKET, "" for unset; null runs without the agent */
  private Run run(Jdk jdk, String socketEnv, List<String> jvmArgs, String... probeArgs) throws Exception {
    return run(jdk, agentJar(), socketEnv, jvmArgs, probeArgs);
  }

  private Run run(Jdk jdk, Path agentJar, String socketEnv, List<String> jvmArgs, String... probeArgs)
      throws Exception {
    return run(jdk, "-javaagent:", agentJar, socketEnv, jvmArgs, probeArgs);
  }

  /** @param agentOption how the JVM loads the agent jar: {@code -javaagent:} or {@code -agentlib:instrument=} */
  private Run run(Jdk jdk, String agentOption, Path agentJar, String socketEnv, List<String> jvmArgs,
      String... probeArgs) throws Exception {
    if (!Files.isExecutable(Path.of(jdk.java))) {
      fail("JDK " + jdk.feature + " not found at " + jdk.java + " (set -Dboxer.jdk" + jdk.feature
          + ".java=<path to bin/java>)");
    }
    List<String> cmd = new ArrayList<>(List.of(jdk.java));
    if (socketEnv != null) {
      cmd.add(agentOption + agentJar.toAbsolutePath());
      // HotSpot does not verify boot classes by default: these make it verify the rewritten JDK classes
      // (stack map frames included) as they load, so a bytecode mistake fails here, not in production
      cmd.addAll(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:+BytecodeVerificationLocal", "-Xshare:off"));
    }
    cmd.addAll(jvmArgs);
    String classPath = System.getProperty("boxer.testClasses", "target/test-classes");
    if (Stream.of(probeArgs).anyMatch(a -> a.startsWith("netty-"))) {
      classPath += File.pathSeparator + nettyClassPath();
    }
    cmd.addAll(List.of("-cp", classPath, Probe.class.getName()));
    cmd.addAll(List.of(probeArgs));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().remove("BOXER_AGENT_SOCKET");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().put("BOXER_AGENT_CACHE", cacheEnv);
    if (socketEnv != null && !socketEnv.isEmpty()) {
      pb.environment().put("BOXER_AGENT_SOCKET", socketEnv);
    }
    pb.redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
    Process p = pb.start();
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      fail("probe did not finish within 60 s: " + cmd);
    }
    String out = Files.readString(dir.resolve("out.txt"), StandardCharsets.UTF_8);
    String err = Files.readString(dir.resolve("err.txt"), StandardCharsets.UTF_8);
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        values.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    Run run = new Run(values, err);
    assertThat(p.exitValue()).as("probe exit code; stdout:%n%s%nstderr:%n%s", out, err).isZero();
    assertThat(values).as("stdout:%n%s%nstderr:%n%s", out, err)
        .containsEntry("java.feature", String.valueOf(jdk.feature)).containsEntry("done", "true");
    if (socketEnv != null && !socketEnv.isEmpty() && jvmArgs.stream().noneMatch(a -> a.startsWith("-Dboxer."))
        && agentJar.equals(agentJar()) && quietAgent) {
      assertThat(run.boxerErrLines()).as("agent stderr").isEmpty();
    }
    assertThat(err).as("stderr").doesNotContain("Sharing is only supported");
    return run;
  }

  /** The Netty jars of this test's class path (the Netty scenarios only: no other probe sees Netty). */
  private static String nettyClassPath() {
    String netty = Stream.of(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(e -> e.contains("/io/netty/")).collect(Collectors.joining(File.pathSeparator));
    if (netty.isEmpty()) {
      fail("no Netty jar on the test class path: " + System.getProperty("java.class.path"));
    }
    return netty;
  }

  record Jdk(int feature, String java) {
    @Override
    public String toString() {
      return String.valueOf(feature);
    }
  }

  record Run(Map<String, String> out, String err) {
    List<String> boxerErrLines() {
      return err.lines().filter(l -> l.contains("[boxer-agent]")).toList();
    }
  }

  private static PrimeReply reply(PrimeResult result, String detail) {
    return PrimeReply.newBuilder().setResult(result).setDetail(detail).build();
  }
}
