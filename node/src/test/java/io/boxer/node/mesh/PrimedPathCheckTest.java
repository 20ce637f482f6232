package io.boxer.node.mesh;

import static org.assertj.core.api.Assertions.assertThat;

import io.boxer.control.OutboundStream;
import io.boxer.node.membership.Peer;
import io.boxer.node.priming.ListenerProbe;
import io.boxer.node.priming.NatPrimer;
import io.boxer.node.priming.PrimeHandler;
import io.boxer.node.priming.PrimePolicy;
import io.boxer.proto.mesh.v1.Goodbye;
import io.boxer.proto.mesh.v1.MeshFrame;
import io.boxer.proto.mesh.v1.PrimeRequest;
import io.boxer.proto.mesh.v1.PrimeResponse;
import io.boxer.proto.v1.ConnectionPolicy;
import io.boxer.proto.v1.LinkPath;
import io.boxer.proto.v1.PolicyRule;
import io.boxer.proto.v1.PortRange;
import io.boxer.testing.FakeCallStream;
import io.boxer.testing.Waits;
import io.netty.channel.nio.NioEventLoopGroup;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A link that is not direct gets its primed path checked: over loopback the member's control port is primed for
 * real (its node's PrimeHandler) and connected.
 */
class PrimedPathCheckTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration POLL = Duration.ofMillis(10);
  private final NioEventLoopGroup eventLoop = new NioEventLoopGroup(1);
  private final PrimedPathCheck check = new PrimedPathCheck(eventLoop, () -> LOOPBACK);
  private final AtomicInteger primesAsked = new AtomicInteger();

  @AfterEach
  void stop() {
    eventLoop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** The far node's side of the link: primes for real, with a policy that allows no application port at all. */
  private final class FarNode implements LinkHandler {
    final PrimeHandler primes;

    FarNode(int controlPort) {
      primes = new PrimeHandler(new ListenerProbe(), new NatPrimer(), () -> "member", () -> controlPort, Runnable::run);
      primes.setPolicy(PrimePolicy.of(ConnectionPolicy.newBuilder().addRules(PolicyRule.newBuilder()
          .setFromRole("member").setToRole("member").addPorts(PortRange.newBuilder().setFirst(1).setLast(1))).build()));
    }

    @Override
    public PrimeResponse prime(Peer from, PrimeRequest request) {
      primesAsked.incrementAndGet();
      return primes.handle(from, request);
    }

    @Override
    public long silentMillis(long targetId) {
      return 0;
    }

    @Override
    public void onProbeResponse(long targetId, long silentMillis) {
    }

    @Override
    public void onGoodbye(Peer from, Goodbye.Reason reason) {
    }

    @Override
    public void onLinkClosed(MeshLink link) {
    }
  }

  private static OutboundStream<MeshFrame> to(Consumer<MeshFrame> receiver) {
    return new OutboundStream<>(new FakeCallStream<>(receiver), 16, status -> { });
  }

  /** This node's link to a member whose control port is {@code controlPort} on loopback. */
  private MeshLink linkTo(int controlPort, LinkPath path, boolean relayOnly) {
    MeshLink[] links = new MeshLink[2];
    FarNode far = new FarNode(controlPort);
    links[0] = new MeshLink(new Peer(2, new InetSocketAddress(LOOPBACK, controlPort), "member", relayOnly),
        to(f -> links[1].onFrame(f)), far, path);
    links[1] = new MeshLink(new Peer(1, new InetSocketAddress(LOOPBACK, 7001), "member"),
        to(f -> links[0].onFrame(f)), far, path);
    return links[0];
  }

  private static ServerSocket controlServer() throws Exception {
    ServerSocket server = new ServerSocket();
    server.setOption(StandardSocketOptions.SO_REUSEPORT, true); // as the node's control server (the prime shares it)
    server.bind(new InetSocketAddress(LOOPBACK, 0));
    return server;
  }

  @Test
  void simultaneouslyOpenedLink_whosePrimedConnectGetsThrough_primesDirectlyFromThenOn() throws Exception {
    try (ServerSocket control = controlServer()) {
      MeshLink link = linkTo(control.getLocalPort(), LinkPath.SIMULTANEOUS_OPEN, false);
      assertThat(link.primedConnectsWork()).isFalse();

      check.run(System.nanoTime(), List.of(link));

      Waits.awaitAtMost(WAIT, POLL, link::primedConnectsWork);
      try (var accepted = control.accept()) {
        assertThat(accepted.getInputStream().read()).as("closed without a byte").isEqualTo(-1);
      }
      check.run(System.nanoTime() + PrimedPathCheck.RETRY_AFTER.toNanos(), List.of(link));
      assertThat(check.attemptsMade(link)).isEqualTo(1);
      assertThat(primesAsked).hasValue(1);
    }
  }

  @Test
  void primedConnectThatNeverGetsThrough_isTriedThreeTimes_spacedOut_andTheLinkStaysRelayed() throws Exception {
    int closedPort;
    try (ServerSocket gone = controlServer()) {
      closedPort = gone.getLocalPort(); // nothing listens there: the far node refuses the prime
    }
    MeshLink link = linkTo(closedPort, LinkPath.RELAYED, false);
    long now = System.nanoTime();

    for (int i = 1; i <= PrimedPathCheck.ATTEMPTS + 2; i++) {
      check.run(now, List.of(link));
      check.run(now, List.of(link)); // due once per RETRY_AFTER, and never while one runs
      int expected = Math.min(i, PrimedPathCheck.ATTEMPTS);
      Waits.awaitAtMost(WAIT, POLL, () -> primesAsked.get() == expected);
      Thread.sleep(50); // the attempt's end is recorded after the answer
      now = System.nanoTime() + PrimedPathCheck.RETRY_AFTER.toNanos();
    }

    assertThat(primesAsked).hasValue(PrimedPathCheck.ATTEMPTS);
    assertThat(link.primedConnectsWork()).isFalse();
  }

  @Test
  void directLinks_andLinksToRelayOnlyMembers_areNotChecked() throws Exception {
    try (ServerSocket control = controlServer()) {
      MeshLink direct = linkTo(control.getLocalPort(), LinkPath.DIRECT, false);
      MeshLink relayOnly = linkTo(control.getLocalPort(), LinkPath.RELAYED, true);

      check.run(System.nanoTime(), List.of(direct, relayOnly));

      assertThat(check.attemptsMade(direct)).isZero();
      assertThat(check.attemptsMade(relayOnly)).isZero();
      assertThat(direct.primedConnectsWork()).isTrue();
      assertThat(relayOnly.primedConnectsWork()).isFalse();
    }
  }
}
