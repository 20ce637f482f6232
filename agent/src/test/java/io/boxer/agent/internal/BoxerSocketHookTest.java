package io.boxer.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.boxer.agent.bootstrap.BoxerHooks;
import io.boxer.proto.agent.v1.MembershipView;
import io.boxer.proto.agent.v1.PrimeReply;
import io.boxer.proto.v1.Endpoint;
import io.boxer.proto.v1.PrimeResult;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class BoxerSocketHookTest {

  private static final FileDescriptor FD = new FileDescriptor();
  private final List<String> log = new ArrayList<>();
  private final FakeOps ops = new FakeOps();
  private PrimeReply reply = PrimeReply.newBuilder().setResult(PrimeResult.PRIMED).build();
  private IOException primeFailure;
  private long waitedFor = -1;

  private final BoxerSocketHook hook = new BoxerSocketHook(millis -> {
    waitedFor = millis;
    return MemberSet.of(MembershipView.newBuilder()
        .addMemberIps(ByteString.copyFrom(new byte[] {(byte) 198, 18, 99, 1}))
        .setOwnIp(ByteString.copyFrom(new byte[] {(byte) 198, 18, 99, 7})) // no interface of this host has it
        .build());
  }, ops, (localPort, remote, port, timeout) -> {
    log.add("prime " + localPort + " -> " + remote.getHostAddress() + ":" + port + " within " + timeout);
    if (primeFailure != null) {
      throw primeFailure;
    }
    return reply;
  }, 1234, 1000, null, null, new QuarantinedPorts((family, port) -> {
    log.add("hold " + port);
    return () -> log.add("release " + port);
  }, 60_000_000_000L));

  // The same hook with the warm port pool, and the non-blocking connects an agent thread primes (run inline here).
  private final TrackedReservations reservations = new TrackedReservations(50_000);
  private final WarmPorts warm = new WarmPorts(new WarmSettings(2, 10_000), reservations,
      (localPort, remote, port, timeout) -> {
        log.add("pool prime " + localPort + " -> " + remote.getHostAddress() + ":" + port);
        return CompletableFuture.completedFuture(PrimeResult.PRIMED);
      }, ip -> true, () -> { });
  private static final MembershipView WARM_VIEW = MembershipView.newBuilder()
      .addMemberIps(ByteString.copyFrom(new byte[] {(byte) 198, 18, 99, 1})).build();
  private volatile MembershipView warmView = WARM_VIEW;
  private final BoxerSocketHook warmHook = new BoxerSocketHook(millis -> MemberSet.of(warmView), ops,
      (localPort, remote, port, timeout) -> {
        log.add("prime " + localPort + " -> " + remote.getHostAddress() + ":" + port);
        return reply;
      }, 1234, 1000, new DeferredConnects(new DeferredConnectsTest.ChannelOpsStub(), new NettyEpollChannels(), ops,
          Runnable::run), warm);

  @Test
  void connectToOwnExternalAddress_goesToLoopbackWithoutPriming() throws Exception {
    InetAddress own = InetAddress.getByName("198.18.99.7");

    assertThat(hook.interceptsConnect(own)).isTrue();
    assertThat(hook.beforeConnect(StandardProtocolFamily.INET, FD, own, 4000))
        .isEqualTo(InetAddress.getByName("127.0.0.1"));
    assertThat(log).noneMatch(l -> l.startsWith("prime") || l.startsWith("bind"));
  }

  @Test
  void connectToMember_keepsItsAddress() throws Exception {
    InetAddress member = InetAddress.getByName("198.18.99.1");

    assertThat(hook.beforeConnect(StandardProtocolFamily.INET, FD, member, 4000)).isEqualTo(member);
  }

  @Test
  void tcpBindToOwnExternalAddress_bindsTheWildcardOfItsFamily() throws Exception {
    InetAddress own = InetAddress.getByName("198.18.99.7");

    assertThat(hook.beforeBind(StandardProtocolFamily.INET, FD, own, 8080)).isEqualTo(InetAddress.getByName("0.0.0.0"));
    assertThat(hook.beforeBind(StandardProtocolFamily.INET6, FD, own, 8080)).isEqualTo(InetAddress.getByName("::"));
  }

  @Test
  void otherBinds_keepTheirAddress_andUdpIsLeftAlone() throws Exception {
    InetAddress other = InetAddress.getByName("198.18.99.8");
    InetAddress own = InetAddress.getByName("198.18.99.7");

    assertThat(hook.beforeBind(StandardProtocolFamily.INET, FD, other, 8080)).isEqualTo(other);
    ops.stream = false;
    assertThat(hook.beforeBind(StandardProtocolFamily.INET, FD, own, 8080)).isEqualTo(own);
  }

  @Test
  void interceptsConnect_onlyMembers_withFirstViewWait() throws Exception {
    assertThat(hook.interceptsConnect(InetAddress.getByName("198.18.99.1"))).isTrue();
    assertThat(waitedFor).isEqualTo(1000);
    assertThat(hook.interceptsConnect(InetAddress.getByName("127.0.0.1"))).isFalse();
  }

  @Test
  void beforeConnect_unboundTcp_bindsWildcardThenPrimesWithItsPort() throws Exception {
    hook.beforeConnect(StandardProtocolFamily.INET, FD, InetAddress.getByName("198.18.99.1"), 4000);
    assertThat(log).containsExactly("bind INET 0.0.0.0:0", "prime 40001 -> 198.18.99.1:4000 within 1234");
  }

  @Test
  void timedConnect_whoseHandshakeStalls_startsAgainFromANewPortWithANewPrime() throws Exception {
    InetAddress member = InetAddress.getByName("198.18.99.1");
    BoxerHooks.connectTimeout(new java.net.InetSocketAddress(member, 4000), 60_000);
    ops.awaitResults.add(false); // the first handshake stalls; the second ends

    assertThat(hook.beforeConnect(StandardProtocolFamily.INET, FD, member, 4000))
        .isSameAs(BoxerHooks.DEFERRED_CONNECT); // connected: the JDK's completion check finds it so

    assertThat(log).containsExactly("bind INET 0.0.0.0:0", "prime 40001 -> 198.18.99.1:4000 within 1234",
        "connect INET 198.18.99.1:4000", "await " + StalledHandshakes.MIN_STALL_MILLIS, "abort",
        "hold 40001", "bind INET 0.0.0.0:0", "prime 40002 -> 198.18.99.1:4000 within 1234",
        "connect INET 198.18.99.1:4000", "await " + StalledHandshakes.MIN_STALL_MILLIS);
  }

  @Test
  void timedConnect_stalledEveryTime_timesOutAfterItsLastAttempt() throws Exception {
    InetAddress member = InetAddress.getByName("198.18.99.1");
    BoxerHooks.connectTimeout(new java.net.InetSocketAddress(member, 4000), 60_000);
    for (int i = 0; i < StalledHandshakes.ATTEMPTS; i++) {
      ops.awaitResults.add(false);
    }

    assertThatThrownBy(() -> hook.beforeConnect(StandardProtocolFamily.INET, FD, member, 4000))
        .isInstanceOf(java.net.SocketTimeoutException.class).hasMessage("Connect timed out");
    assertThat(log.stream().filter(l -> l.startsWith("prime"))).containsExactly(
        "prime 40001 -> 198.18.99.1:4000 within 1234", "prime 40002 -> 198.18.99.1:4000 within 1234",
        "prime 40003 -> 198.18.99.1:4000 within 1234");
    assertThat(log.get(log.size() - 1)).startsWith("await ") // the last attempt waits out the deadline
        .isNotEqualTo("await " + StalledHandshakes.MIN_STALL_MILLIS);
    assertThat(log).filteredOn("abort"::equals).hasSize(StalledHandshakes.ATTEMPTS - 1);
    assertThat(log).filteredOn(l -> l.startsWith("hold ")).containsExactly("hold 40001", "hold 40002");
  }

  @Test
  void untimedBlockingConnect_isWatchedNonBlocking_andLeavesTheLastAttemptToTheKernelInBlockingMode()
      throws Exception {
    InetAddress member = InetAddress.getByName("198.18.99.1");
    ops.blocking = true;
    ops.awaitResults.add(false);
    ops.awaitResults.add(false);

    assertThat(hook.beforeConnect(StandardProtocolFamily.INET, FD, member, 4000))
        .isSameAs(BoxerHooks.DEFERRED_CONNECT);

    assertThat(log).containsExactly("bind INET 0.0.0.0:0", "prime 40001 -> 198.18.99.1:4000 within 1234",
        "blocking false", "connect INET 198.18.99.1:4000", "await " + StalledHandshakes.MIN_STALL_MILLIS, "abort",
        "hold 40001", "bind INET 0.0.0.0:0", "prime 40002 -> 198.18.99.1:4000 within 1234",
        "connect INET 198.18.99.1:4000", "await " + StalledHandshakes.MIN_STALL_MILLIS, "abort",
        "hold 40002", "bind INET 0.0.0.0:0", "prime 40003 -> 198.18.99.1:4000 within 1234",
        "connect INET 198.18.99.1:4000", "blocking true");
    assertThat(ops.blocking).isTrue();
  }

  @Test
  void watchedConnect_failingInTheKernel_throwsAConnectExceptionWithTheKernelsMessage() throws Exception {
    InetAddress member = InetAddress.getByName("198.18.99.1");
    BoxerHooks.connectTimeout(new java.net.InetSocketAddress(member, 4000), 60_000);
    ops.awaitFailure = new java.net.NoRouteToHostException("No route to host");

    assertThatThrownBy(() -> hook.beforeConnect(StandardProtocolFamily.INET, FD, member, 4000))
        .isExactlyInstanceOf(ConnectException.class).hasMessage("No route to host")
        .hasCauseInstanceOf(java.net.NoRouteToHostException.class);
  }

  @Test
  void stalledHandshake_whoseNewPrimeAnswersUseRelay_connectsToTheRelay() throws Exception {
    InetAddress member = InetAddress.getByName("198.18.99.1");
    BoxerHooks.connectTimeout(new java.net.InetSocketAddress(member, 4000), 60_000);
    ops.awaitResults.add(false);
    BoxerSocketHook relayingHook = new BoxerSocketHook(millis -> MemberSet.of(WARM_VIEW), ops,
        (localPort, remote, port, timeout) -> {
          log.add("prime " + localPort);
          return localPort == 40001 ? reply : useRelay(new byte[] {127, 0, 0, 1}, 7000);
        }, 1234, 1000, null, null, new QuarantinedPorts((family, p) -> () -> { }, 1));

    assertThat(relayingHook.beforeConnect(StandardProtocolFamily.INET, FD, member, 4000))
        .isSameAs(BoxerHooks.DEFERRED_CONNECT);

    assertThat(log).endsWith("abort", "bind INET 0.0.0.0:0", "prime 40002", "connect INET 127.0.0.1:7000",
        "await " + RelayConnect.LOOPBACK_WAIT_MILLIS);
  }

  @Test
  void connectsNotWatched_leaveTheConnectToTheKernel() throws Exception {
    InetAddress member = InetAddress.getByName("198.18.99.1");
    // without a deadline on a non-blocking socket (a virtual thread's): not watched
    assertThat(hook.beforeConnect(StandardProtocolFamily.INET, FD, member, 4000)).isEqualTo(member);
    // a port the application bound cannot change
    ops.port = 5555;
    BoxerHooks.connectTimeout(new java.net.InetSocketAddress(member, 4000), 60_000);
    assertThat(hook.beforeConnect(StandardProtocolFamily.INET, FD, member, 4000)).isEqualTo(member);
    // a non-blocking connect primed on its caller's thread (this hook defers none) returns at once
    ops.port = 0;
    ops.blocking = true; // even if its mode said otherwise
    assertThat(hook.beforeNonBlockingConnect(StandardProtocolFamily.INET, FD, member, 4000, new Object()))
        .isEqualTo(member);
    assertThat(log).noneMatch(l -> l.startsWith("connect") || l.startsWith("await") || l.startsWith("blocking"));
  }

  @Test
  void beforeConnect_boundTcp_primesWithExistingPort() throws Exception {
    ops.port = 5555;
    hook.beforeConnect(StandardProtocolFamily.INET6, FD, InetAddress.getByName("198.18.99.1"), 4000);
    assertThat(log).containsExactly("prime 5555 -> 198.18.99.1:4000 within 1234");
  }

  @Test
  void beforeConnect_udp_doesNothing() throws Exception {
    ops.stream = false;
    hook.beforeConnect(StandardProtocolFamily.INET, FD, InetAddress.getByName("198.18.99.1"), 4000);
    assertThat(log).isEmpty();
  }

  @Test
  void beforeConnect_refused_connectionRefused() throws Exception {
    reply = PrimeReply.newBuilder().setResult(PrimeResult.REFUSED).build();
    assertThatThrownBy(() -> hook.beforeConnect(StandardProtocolFamily.INET, FD,
        InetAddress.getByName("198.18.99.1"), 4000)).isExactlyInstanceOf(ConnectException.class)
        .hasMessage("Connection refused");
  }

  @Test
  void beforeConnect_nodeUnreachable_boxerConnectException() throws Exception {
    primeFailure = new IOException("No such file or directory");
    assertThatThrownBy(() -> hook.beforeConnect(StandardProtocolFamily.INET, FD,
        InetAddress.getByName("198.18.99.1"), 4000)).isExactlyInstanceOf(ConnectException.class)
        .hasMessage("Boxer: priming 198.18.99.1:4000 failed: local node: No such file or directory")
        .hasCause(primeFailure);
  }

  @Test
  void beforeConnect_bindFails_boxerConnectException() throws Exception {
    ops.bindFailure = new IOException("Address already in use");
    assertThatThrownBy(() -> hook.beforeConnect(StandardProtocolFamily.INET, FD,
        InetAddress.getByName("198.18.99.1"), 4000)).isExactlyInstanceOf(ConnectException.class)
        .hasMessageStartingWith("Boxer: priming 198.18.99.1:4000 failed: could not bind the socket");
    assertThat(log).containsExactly("bind INET 0.0.0.0:0");
  }

  @Test
  void beforeBind_tcpGetsReusePort_udpDoesNot() throws Exception {
    hook.beforeBind(StandardProtocolFamily.INET, FD, InetAddress.getByName("0.0.0.0"), 8080);
    ops.stream = false;
    hook.beforeBind(StandardProtocolFamily.INET, FD, InetAddress.getByName("0.0.0.0"), 8081);
    assertThat(log).containsExactly("probe 0.0.0.0:8080", "reuseport");
  }

  @Test
  void bindToAPortInUse_failsAsWithoutBoxer_beforeAnySocketOptionIsSet() throws Exception {
    ops.taken = true;

    assertThatThrownBy(() -> hook.beforeBind(StandardProtocolFamily.INET, FD, InetAddress.getByName("0.0.0.0"), 8081))
        .isExactlyInstanceOf(java.net.BindException.class).hasMessage("Address already in use");
    assertThat(log).containsExactly("probe 0.0.0.0:8081");
  }

  @Test
  void bindToOwnExternalAddress_probesTheWildcardItWillBind_andAnEphemeralBindIsNotProbed() throws Exception {
    hook.beforeBind(StandardProtocolFamily.INET, FD, InetAddress.getByName("198.18.99.7"), 8082);
    hook.beforeBind(StandardProtocolFamily.INET, FD, InetAddress.getByName("0.0.0.0"), 0);

    assertThat(log).containsExactly("probe 0.0.0.0:8082", "reuseport", "reuseport");
  }

  @Test
  void beforeConnect_useRelay_connectsTheSocketToTheRelayEndpointAndLeavesTheRestToTheCaller() throws Exception {
    ops.port = 5555;
    reply = useRelay(new byte[] {127, 0, 0, 1}, 47001);

    InetAddress target = hook.beforeConnect(StandardProtocolFamily.INET, FD, InetAddress.getByName("198.18.99.1"),
        4000);

    // the kernel connect is issued; Net.connect answers "in progress" and the JDK's own check finds it done
    assertThat(target).isSameAs(BoxerHooks.DEFERRED_CONNECT);
    assertThat(log).containsExactly("prime 5555 -> 198.18.99.1:4000 within 1234", "connect INET 127.0.0.1:47001",
        "await 100");
  }

  @Test
  void beforeConnect_useRelay_endpointGone_failsNamingTheRelayStep() throws Exception {
    ops.port = 5555;
    ops.awaitFailure = new ConnectException("Connection refused");
    reply = useRelay(new byte[] {127, 0, 0, 1}, 47001);

    assertThatThrownBy(() -> hook.beforeConnect(StandardProtocolFamily.INET, FD,
        InetAddress.getByName("198.18.99.1"), 4000)).isExactlyInstanceOf(ConnectException.class)
        .hasMessage("Boxer: relay to 198.18.99.1:4000 failed: connect to 127.0.0.1:47001: Connection refused")
        .hasCause(ops.awaitFailure);
  }

  @Test
  void beforeConnect_useRelay_blockingSocketConnectedAtOnce_doesNotWait() throws Exception {
    ops.port = 5555;
    ops.connectResult = 1;
    reply = useRelay(new byte[] {127, 0, 0, 1}, 47001);

    assertThat(hook.beforeConnect(StandardProtocolFamily.INET6, FD, InetAddress.getByName("198.18.99.1"), 4000))
        .isSameAs(BoxerHooks.DEFERRED_CONNECT);
    assertThat(log).containsExactly("prime 5555 -> 198.18.99.1:4000 within 1234", "connect INET6 127.0.0.1:47001");
  }

  @Test
  void beforeConnect_useRelay_endpointNotLoopback_failsWithoutAnyConnect() throws Exception {
    ops.port = 5555;
    reply = useRelay(new byte[] {(byte) 198, 18, 99, 2}, 47001);

    assertThatThrownBy(() -> hook.beforeConnect(StandardProtocolFamily.INET, FD,
        InetAddress.getByName("198.18.99.1"), 4000)).isExactlyInstanceOf(ConnectException.class)
        .hasMessage("Boxer: priming 198.18.99.1:4000 failed: node offered an invalid relay endpoint "
            + "(198.18.99.2:47001 is not loopback)");
    assertThat(log).containsExactly("prime 5555 -> 198.18.99.1:4000 within 1234");
  }

  /** A cold connect to the member, PRIMED, then the pool's tick: one port of the pool is primed and ready. */
  private InetAddress warmUp() throws Exception {
    InetAddress member = InetAddress.getByName("198.18.99.1");
    warmHook.beforeConnect(StandardProtocolFamily.INET, FD, member, 4000);
    warm.tick(System.nanoTime());
    assertThat(log).containsExactly("bind INET 0.0.0.0:0", "prime 40001 -> 198.18.99.1:4000",
        "pool prime 50000 -> 198.18.99.1:4000");
    log.clear();
    ops.port = 0; // the application's next socket, unbound
    return member;
  }

  @Test
  void warmConnect_bindsThePrimedPortAndConnectsWithoutAPrime() throws Exception {
    InetAddress member = warmUp();

    assertThat(warmHook.beforeConnect(StandardProtocolFamily.INET, FD, member, 4000)).isEqualTo(member);

    assertThat(log).containsExactly("bind INET 0.0.0.0:50000");
    assertThat(reservations.open).as("the reservation is closed before the bind").isEmpty();
  }

  @Test
  void warmConnect_nonBlocking_connectsAtOnceInsteadOfDeferring() throws Exception {
    InetAddress member = warmUp();

    assertThat(warmHook.beforeNonBlockingConnect(StandardProtocolFamily.INET, FD, member, 4000, new DeferredConnectsTest.FakeChannel()))
        .isEqualTo(member);
    assertThat(log).containsExactly("bind INET 0.0.0.0:50000");
  }

  @Test
  void warmConnect_toASuspectedMember_asksTheNode_andKeepsTheReadyPortForLater() throws Exception {
    InetAddress member = warmUp();
    warmView = WARM_VIEW.toBuilder().addSuspectedIps(ByteString.copyFrom(member.getAddress())).build();

    // the node fails a suspected member's connect at once; a warm port would have skipped it
    assertThat(warmHook.beforeConnect(StandardProtocolFamily.INET, FD, member, 4000)).isEqualTo(member);
    assertThat(log).containsExactly("bind INET 0.0.0.0:0", "prime 40001 -> 198.18.99.1:4000");
    assertThat(warm.ready(member, 4000, System.nanoTime())).isEqualTo(1);

    log.clear();
    ops.port = 0;
    warmView = WARM_VIEW; // it answers again
    assertThat(warmHook.beforeConnect(StandardProtocolFamily.INET, FD, member, 4000)).isEqualTo(member);
    assertThat(log).containsExactly("bind INET 0.0.0.0:50000");
  }

  @Test
  void warmConnect_emptyPool_isTheColdConnect() throws Exception {
    InetAddress member = warmUp();
    warmHook.beforeConnect(StandardProtocolFamily.INET, FD, member, 4000); // takes the only port
    log.clear();
    ops.port = 0;

    assertThat(warmHook.beforeConnect(StandardProtocolFamily.INET, FD, member, 4000)).isEqualTo(member);
    assertThat(log).containsExactly("bind INET 0.0.0.0:0", "prime 40001 -> 198.18.99.1:4000");
    log.clear();
    ops.port = 0;
    assertThat(warmHook.beforeNonBlockingConnect(StandardProtocolFamily.INET, FD, member, 4000, new DeferredConnectsTest.FakeChannel()))
        .isSameAs(BoxerHooks.DEFERRED_CONNECT);
    assertThat(log).containsExactly("bind INET 0.0.0.0:0", "prime 40001 -> 198.18.99.1:4000");
  }

  @Test
  void warmConnect_portTakenMeanwhile_fallsBackToTheColdConnect() throws Exception {
    InetAddress member = warmUp();
    ops.failBindToPort = 50_000;

    assertThat(warmHook.beforeConnect(StandardProtocolFamily.INET, FD, member, 4000)).isEqualTo(member);

    assertThat(log).containsExactly("bind INET 0.0.0.0:50000", "bind INET 0.0.0.0:0",
        "prime 40001 -> 198.18.99.1:4000");
  }

  @Test
  void coldConnect_notPrimedDirectly_getsNoPool() throws Exception {
    InetAddress member = InetAddress.getByName("198.18.99.1");
    for (PrimeReply answer : List.of(useRelay(new byte[] {127, 0, 0, 1}, 47001),
        PrimeReply.newBuilder().setResult(PrimeResult.NOT_MEMBER).build())) {
      reply = answer;
      ops.port = 0;
      warmHook.beforeConnect(StandardProtocolFamily.INET, FD, member, 4000);
    }
    ops.port = 5555; // a socket the application bound itself is primed, but it is no reason for a pool either
    reply = PrimeReply.newBuilder().setResult(PrimeResult.REFUSED).build();
    assertThatThrownBy(() -> warmHook.beforeConnect(StandardProtocolFamily.INET, FD, member, 4001))
        .hasMessage("Connection refused");

    warm.tick(System.nanoTime());
    assertThat(warm.pools()).isZero();
    assertThat(log).noneMatch(l -> l.startsWith("pool prime"));
  }

  @Test
  void warmConnect_applicationBoundSocket_keepsItsPortAndIsPrimed() throws Exception {
    InetAddress member = warmUp();
    ops.port = 6000;

    warmHook.beforeConnect(StandardProtocolFamily.INET, FD, member, 4000);

    assertThat(log).containsExactly("prime 6000 -> 198.18.99.1:4000");
    assertThat(warm.ready(member, 4000, System.nanoTime())).isEqualTo(1);
  }

  private static PrimeReply useRelay(byte[] ip, int port) {
    return PrimeReply.newBuilder().setResult(PrimeResult.USE_RELAY)
        .setRelay(Endpoint.newBuilder().setIp(ByteString.copyFrom(ip)).setPort(port)).build();
  }

  private final class FakeOps implements SocketOps {
    boolean stream = true;
    int port;
    IOException bindFailure;
    boolean taken;
    int connectResult = -2;
    IOException awaitFailure;
    int failBindToPort = -1;
    boolean blocking;
    int aborts;
    /** What the next awaits answer, in turn; true once they are used up. */
    final java.util.ArrayDeque<Boolean> awaitResults = new java.util.ArrayDeque<>();

    @Override
    public int connect(ProtocolFamily family, FileDescriptor fd, InetAddress address, int p) {
      log.add("connect " + family + " " + address.getHostAddress() + ":" + p);
      return connectResult;
    }

    @Override
    public boolean awaitConnect(FileDescriptor fd, long timeoutMillis) throws IOException {
      log.add("await " + timeoutMillis);
      if (awaitFailure != null) {
        throw awaitFailure;
      }
      return awaitResults.isEmpty() || awaitResults.poll();
    }

    @Override
    public boolean isBlocking(FileDescriptor fd) {
      return blocking;
    }

    @Override
    public void configureBlocking(FileDescriptor fd, boolean b) {
      log.add("blocking " + b);
      blocking = b;
    }

    @Override
    public boolean canAbortConnect() {
      return true;
    }

    @Override
    public void abortConnect(FileDescriptor fd) {
      log.add("abort");
      aborts++;
      port = 0;
    }

    @Override
    public boolean isStream(FileDescriptor fd) {
      return stream;
    }

    @Override
    public void setReusePort(FileDescriptor fd) {
      log.add("reuseport");
    }

    @Override
    public boolean portTaken(ProtocolFamily family, FileDescriptor fd, InetAddress address, int p) {
      log.add("probe " + address.getHostAddress() + ":" + p);
      return taken;
    }

    @Override
    public int localPort(FileDescriptor fd) {
      return port;
    }

    @Override
    public void bind(ProtocolFamily family, FileDescriptor fd, InetAddress address, int p) throws IOException {
      log.add("bind " + family + " " + address.getHostAddress() + ":" + p);
      if (bindFailure != null) {
        throw bindFailure;
      }
      if (p == failBindToPort) {
        throw new java.net.BindException("Address already in use");
      }
      port = p != 0 ? p : 40001 + aborts; // a new port after each aborted connect
    }
  }
}
