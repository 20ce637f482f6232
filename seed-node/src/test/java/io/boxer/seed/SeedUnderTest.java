package io.boxer.seed;

import io.boxer.testing.RawCall;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.boxer.control.Liveness;
import io.boxer.control.Protocol;
import io.boxer.control.tls.CertifiedIdentity;
import io.boxer.control.tls.ClusterTrust;
import io.boxer.control.tls.JoinToken;
import io.boxer.control.tls.TlsContexts;
import io.boxer.control.tls.TlsIdentity;
import io.boxer.node.BoxerNode;
import io.boxer.node.NodeConfig;
import io.boxer.node.membership.Peer;
import io.boxer.proto.seed.v1.JoinRequest;
import io.boxer.proto.seed.v1.NodeMessage;
import io.boxer.proto.seed.v1.SeedEvent;
import io.boxer.proto.seed.v1.SeedGrpc;
import io.boxer.proto.seed.v1.Welcome;
import io.boxer.proto.v1.Member;
import io.grpc.Attributes;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One running seed on 127.0.0.1 with its witnesses, for tests that throw things at it: a {@link Bystander}
 * member (at 127.0.0.3) that must survive and that sees every join and departure, a health client (at
 * 127.0.0.1) that checks a valid join is still welcomed with an id above every id so far, and clients that dial
 * from any other loopback address, as a node dials from its control port. Tracks members whose sessions have
 * ended until the seed says they left. Not thread-safe: one test thread drives it. Owns the seed, the bystander
 * and the channels; not the event loop.
 */
final class SeedUnderTest implements AutoCloseable {
  static final MethodDescriptor<byte[], byte[]> JOIN = RawCall.bytes(SeedGrpc.getJoinMethod());
  static final Duration ANSWER = Duration.ofSeconds(5);
  /**
   * A member whose session ended must be gone by then: the seed evicts a silent member anyway, within a tick
   * (and some slack for a loaded host) of {@link Liveness#SEED_EVICTS_AFTER}.
   */
  static final Duration GONE_WITHIN = Liveness.SEED_EVICTS_AFTER.plusSeconds(2);
  static final String BYSTANDER_IP = "127.0.0.3";
  private static final String HEALTH_IP = "127.0.0.1";

  private final JoinToken token;
  private final ByteString publicKey;
  private final EventLoopGroup eventLoop;
  private final SeedServer seed;
  private final Map<String, ManagedChannel> channels = new HashMap<>();
  private final Map<Long, Ended> ended = new HashMap<>();
  private final AtomicLong highestId = new AtomicLong();
  private final int healthPort;
  private ManagedChannel health;
  private Bystander bystander;
  private int lingered;
  private int turns;
  private long longestLingerMillis;

  private record Ended(String ip, long nanos, String session) {}

  private SeedUnderTest(JoinToken token, ByteString publicKey, EventLoopGroup eventLoop) throws Exception {
    this.token = token;
    this.publicKey = publicKey;
    this.eventLoop = eventLoop;
    this.seed = new SeedServer(SeedConfig.of(new InetSocketAddress("127.0.0.1", 0), token)).start();
    this.healthPort = freePort();
  }

  /** Starts a seed, joins the bystander and checks once that a valid node, and a real one, can join. */
  static SeedUnderTest start(JoinToken token, ByteString publicKey, EventLoopGroup eventLoop) throws Exception {
    return start(token, publicKey, eventLoop, true);
  }

  /** Starts a seed with the health client only: no bystander, no real node. */
  static SeedUnderTest bare(JoinToken token, ByteString publicKey, EventLoopGroup eventLoop) throws Exception {
    return start(token, publicKey, eventLoop, false);
  }

  private static SeedUnderTest start(JoinToken token, ByteString publicKey, EventLoopGroup eventLoop,
      boolean witnesses) throws Exception {
    SeedUnderTest s = new SeedUnderTest(token, publicKey, eventLoop);
    try {
      s.health = s.channel(HEALTH_IP, s.healthPort, TlsIdentity.generate());
      if (witnesses) {
        int bystanderPort = freePort();
        s.bystander = Bystander.join(s.channel(BYSTANDER_IP, bystanderPort, TlsIdentity.generate()),
            NodeMessage.newBuilder().setJoin(s.validJoin(bystanderPort).setRole("bystander")).build());
        s.observedId(s.bystander.id());
        s.assertServes(true);
      }
      return s;
    } catch (Exception | AssertionError e) {
      s.close();
      throw e;
    }
  }

  SeedServer seed() {
    return seed;
  }

  Bystander bystander() {
    return bystander;
  }

  /** A join request that the seed admits from {@code port} (all fields valid, no role). */
  JoinRequest.Builder validJoin(int port) {
    return JoinRequest.newBuilder()
        .setProtocolVersion(Protocol.VERSION)
        .setControlPort(port)
        .setJoinKey(ByteString.copyFrom(token.joinKey()))
        .setPublicKey(publicKey);
  }

  /** A client of this seed that dials from {@code localIp:localPort}. The caller owns it. */
  ManagedChannel channel(String localIp, int localPort, TlsIdentity identity) throws Exception {
    return NettyChannelBuilder.forAddress("127.0.0.1", seed.port())
        .eventLoopGroup(eventLoop)
        .channelType(NioSocketChannel.class)
        .localSocketPicker(new NettyChannelBuilder.LocalSocketPicker() {
          @Override
          public SocketAddress createSocketAddress(SocketAddress remote, Attributes attrs) {
            return new InetSocketAddress(localIp, localPort);
          }
        })
        .withOption(ChannelOption.SO_REUSEADDR, true)
        .sslContext(TlsContexts.client(identity, ClusterTrust.forToken(token).trustManager(peer -> {
          if (peer.kind() != CertifiedIdentity.Kind.SEED) {
            throw new CertificateException("not the seed");
          }
        })))
        .maxInboundMessageSize(1024 * 1024)
        .build();
  }

  /** The client at {@code ip:port}, kept open for reuse (one connection per address). */
  ManagedChannel sharedChannel(String ip, int port) throws Exception {
    ManagedChannel c = channels.get(ip);
    if (c == null) {
      c = channel(ip, port, TlsIdentity.generate());
      channels.put(ip, c);
    }
    return c;
  }

  /**
   * One of the four lowest {@code prefix + n} addresses (n in 1..254) that are not members, in turn, waiting for
   * one if need be. In turn, because each address has its own connection, and a session the seed ends before the
   * client half-closes costs the client a RST_STREAM: the seed closes a connection that sends over
   * {@link io.boxer.control.ServerLimits#MAX_RST_FRAMES} of those in 10 s (a defence, not what the fuzzing is
   * about).
   */
  String freeAddress(String prefix) {
    int turn = turns++ % 4;
    List<String> free = await("a free address in " + prefix + "0/24").atMost(GONE_WITHIN).pollInSameThread()
        .pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
        .until(() -> {
          List<String> found = new ArrayList<>();
          for (int n = 1; n < 255 && found.size() <= turn; n++) {
            if (!bystander.knowsMemberAt(prefix + n)) {
              found.add(prefix + n);
            }
          }
          return found;
        }, found -> !found.isEmpty());
    return free.get(Math.min(turn, free.size() - 1));
  }

  /** The seed handed out or took back {@code id}. */
  void observedId(long id) {
    highestId.accumulateAndGet(id, Math::max);
  }

  long highestId() {
    return highestId.get();
  }

  /** The session of member {@code id} from {@code ip} has ended: it must leave (see {@link #checkEndedLeave}). */
  void sessionEnded(long id, String ip, String session) {
    ended.put(id, new Ended(ip, System.nanoTime(), session));
  }

  /** Members whose sessions ended must leave, at the latest when the seed evicts them for silence. */
  void checkEndedLeave() {
    long now = System.nanoTime();
    ended.entrySet().removeIf(e -> {
      long millis = TimeUnit.NANOSECONDS.toMillis(now - e.getValue().nanos());
      if (bystander.knowsMember(e.getKey())) {
        assertThat(millis).as("member %d from %s stayed after its session ended (%s)", e.getKey(),
            e.getValue().ip(), e.getValue().session()).isLessThan(GONE_WITHIN.toMillis());
        return false;
      }
      if (millis > 1000) {
        lingered++;
        longestLingerMillis = Math.max(longestLingerMillis, millis);
      }
      return true;
    });
  }

  /**
   * The seed's member count agrees with what it told its members (once departures in flight have landed). Call
   * right after a {@link Bystander#sync}.
   */
  void assertMemberCountAgrees() {
    await().atMost(ANSWER).pollInSameThread().pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
        .untilAsserted(() -> {
          bystander.sync(ANSWER); // departures the seed has sent since land in the bystander's view
          assertThat(seed.members()).as("the seed's member count and what it told its members")
              .isEqualTo(bystander.knownMembers());
        });
  }

  /**
   * A valid node can still join: welcomed with an id above every id so far, it sees the bystander, and leaves
   * cleanly; the bystander is still a member. With {@code realNode}, a real {@link BoxerNode} joins too. Without
   * a bystander ({@link #bare}): the join only, and the seed is not waited for to see it leave.
   */
  void assertServes(boolean realNode) throws Exception {
    assertThat(bystander == null || bystander.removed() == null)
        .as("the live bystander member is still a member (%s)", bystander == null ? "" : bystander.removed()).isTrue();
    RawCall call = RawCall.start(health, JOIN, Duration.ofSeconds(15), true);
    call.send(NodeMessage.newBuilder().setJoin(validJoin(healthPort)).build().toByteArray());
    call.awaitFirstMessage(ANSWER);
    call.halfClose();
    Status status = call.awaitClose(ANSWER);
    assertThat(call.received()).as("a valid join gets an answer (ended with %s)", status).isNotEmpty();
    Welcome welcome = SeedEvent.parseFrom(call.received().get(0)).getWelcome();
    assertThat(welcome.getNodeId()).as("a new member's id is above every id so far").isGreaterThan(highestId());
    observedId(welcome.getNodeId());
    assertThat(status).isNotNull();
    assertThat(status.isOk()).as(status.toString()).isTrue();
    if (bystander == null) {
      return;
    }
    assertThat(welcome.getMembersList()).extracting(Member::getId).contains(bystander.id());
    if (realNode) {
      try (BoxerNode node = new BoxerNode(NodeConfig.forSeed(new InetSocketAddress("127.0.0.1", seed.port()), token)
          .withJoinAttempts(1, Duration.ofMillis(100)))) {
        node.start();
        assertThat(node.self().id()).as("a real node's id is above every id so far").isGreaterThan(highestId());
        observedId(node.self().id());
        assertThat(node.members()).extracting(Peer::id).contains(bystander.id());
      }
    }
    // the health client's sessions have ended: wait until the seed has seen that, so that it is free again
    await("the health client left").atMost(ANSWER).pollInSameThread().pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(2)).until(() -> {
          bystander.sync(ANSWER);
          return !bystander.knowsMemberAt(HEALTH_IP);
        });
  }

  /** For the test's summary: how long ended sessions stayed members, and how many client addresses were used. */
  String summary() {
    return lingered + " ended sessions stayed members over 1 s (longest " + longestLingerMillis + " ms); "
        + channels.size() + " client addresses";
  }

  static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (bystander != null) {
      bystander.close();
    }
    for (ManagedChannel c : channels.values()) {
      c.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    }
    if (health != null) {
      health.shutdownNow().awaitTermination(2, TimeUnit.SECONDS);
    }
    seed.close();
  }
}
