package io.boxer.node.agentlink;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.boxer.control.Endpoints;
import io.boxer.node.membership.Membership;
import io.boxer.node.membership.Peer;
import io.boxer.node.mesh.MeshLinks;
import io.boxer.proto.agent.v1.NodeStatus;
import io.boxer.proto.agent.v1.AgentRequest;
import io.boxer.proto.agent.v1.MembershipView;
import io.boxer.proto.agent.v1.PeerStatus;
import io.boxer.proto.agent.v1.Prime;
import io.boxer.proto.agent.v1.PrimeReply;
import io.boxer.proto.agent.v1.StatusRequest;
import io.boxer.proto.agent.v1.Watch;
import io.boxer.proto.v1.LinkStatus;
import io.boxer.proto.v1.Member;
import io.boxer.proto.v1.PrimeResult;
import io.netty.channel.IoEventLoop;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent endpoint over a real Unix domain socket, with a membership but no mesh links. */
class AgentEndpointTest {
  private static final Peer SELF = new Peer(1, new InetSocketAddress("198.18.0.101", 40000));
  private static final Peer OTHER = new Peer(2, new InetSocketAddress("198.18.0.102", 40001));

  @TempDir Path dir;
  private final Membership membership = new Membership();
  /** The node's mesh loop, which the endpoint is served on as in a node. */
  private final IoEventLoopGroup meshLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
  private AgentEndpoint endpoint;
  private Path socket;

  @BeforeEach
  void start() throws Exception {
    membership.put(SELF);
    socket = dir.resolve("agent.sock");
    endpoint = new AgentEndpoint(socket, membership, () -> SELF,
        new AgentPrimer(membership, new MeshLinks(), () -> SELF, Duration.ofSeconds(1)), this::status,
        meshLoop.next());
    endpoint.start();
  }

  @AfterEach
  void stop() throws Exception {
    try {
      endpoint.close();
    } finally {
      meshLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    }
  }

  private SocketChannel connect(AgentRequest request) throws Exception {
    SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
    channel.connect(UnixDomainSocketAddress.of(socket));
    request.writeDelimitedTo(Channels.newOutputStream(channel));
    return channel;
  }

  private static AgentRequest prime(String ip, int port, int localPort) throws Exception {
    return AgentRequest.newBuilder().setPrime(Prime.newBuilder()
        .setLocalPort(localPort)
        .setRemote(Endpoints.toProto(new InetSocketAddress(InetAddress.getByName(ip), port)))
        .setTimeoutMs(1000)).build();
  }

  @Test
  void watch_streamsTheViewWithoutSelfAndEveryChange() throws Exception {
    try (SocketChannel channel = connect(AgentRequest.newBuilder().setWatch(Watch.getDefaultInstance()).build())) {
      InputStream in = Channels.newInputStream(channel);

      MembershipView first = MembershipView.parseDelimitedFrom(in);
      membership.put(OTHER);
      MembershipView second = MembershipView.parseDelimitedFrom(in);

      assertThat(first.getMemberIpsList()).isEmpty();
      assertThat(first.getOwnIp()).isEqualTo(ByteString.copyFrom(SELF.externalIp().getAddress()));
      assertThat(second.getMemberIpsList()).containsExactly(ByteString.copyFrom(OTHER.externalIp().getAddress()));
    }
  }

  @Test
  void watch_saysWhichMembersAreSuspected_andWhenNoLonger() throws Exception {
    membership.put(OTHER);
    try (SocketChannel channel = connect(AgentRequest.newBuilder().setWatch(Watch.getDefaultInstance()).build())) {
      InputStream in = Channels.newInputStream(channel);

      MembershipView first = MembershipView.parseDelimitedFrom(in);
      membership.setSuspected(OTHER.id(), true);
      MembershipView suspected = MembershipView.parseDelimitedFrom(in);
      membership.setSuspected(OTHER.id(), false);
      MembershipView answersAgain = MembershipView.parseDelimitedFrom(in);

      ByteString other = ByteString.copyFrom(OTHER.externalIp().getAddress());
      assertThat(first.getSuspectedIpsList()).isEmpty();
      assertThat(suspected.getSuspectedIpsList()).containsExactly(other);
      assertThat(suspected.getMemberIpsList()).containsExactly(other);
      assertThat(answersAgain.getSuspectedIpsList()).isEmpty();
    }
  }

  @Test
  void prime_toNonMember_isNotMember() throws Exception {
    try (SocketChannel channel = connect(prime("198.18.0.200", 80, 40000))) {
      PrimeReply reply = PrimeReply.parseDelimitedFrom(Channels.newInputStream(channel));

      assertThat(reply.getResult()).isEqualTo(PrimeResult.NOT_MEMBER);
    }
  }

  @Test
  void prime_toMemberWithoutLink_failsWithReason() throws Exception {
    membership.put(OTHER);
    try (SocketChannel channel = connect(prime("198.18.0.102", 80, 40000))) {
      PrimeReply reply = PrimeReply.parseDelimitedFrom(Channels.newInputStream(channel));

      assertThat(reply.getResult()).isEqualTo(PrimeResult.FAILED);
      assertThat(reply.getDetail()).isEqualTo("no control link to member 2 yet");
    }
  }

  @Test
  void prime_withBadLocalPort_failsAsMalformed() throws Exception {
    membership.put(OTHER);
    try (SocketChannel channel = connect(prime("198.18.0.102", 80, 0))) {
      PrimeReply reply = PrimeReply.parseDelimitedFrom(Channels.newInputStream(channel));

      assertThat(reply.getResult()).isEqualTo(PrimeResult.FAILED);
      assertThat(reply.getDetail()).startsWith("malformed prime request: prime.local_port : 0");
    }
  }

  @Test
  void garbage_isAnsweredWithFailedAndTheEndpointKeepsServing() throws Exception {
    try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
      channel.connect(UnixDomainSocketAddress.of(socket));
      channel.write(ByteBuffer.wrap(new byte[] {5, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}));
      PrimeReply reply = PrimeReply.parseDelimitedFrom(Channels.newInputStream(channel));

      assertThat(reply.getResult()).isEqualTo(PrimeResult.FAILED);
    }
    try (SocketChannel channel = connect(prime("198.18.0.200", 80, 40000))) {
      assertThat(PrimeReply.parseDelimitedFrom(Channels.newInputStream(channel)).getResult())
          .isEqualTo(PrimeResult.NOT_MEMBER);
    }
  }

  @Test
  void close_removesTheSocketFile() throws Exception {
    endpoint.close();

    assertThat(Files.exists(socket)).isFalse();
  }

  @Test
  void socketFile_isOwnerReadWriteOnly() throws Exception {
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
  }

  @Test
  void close_closesEveryConnection_andLeavesTheNodesLoopRunning() throws Exception {
    RawAgentClient watcher = RawAgentClient.connect(socket);
    RawAgentClient idle = RawAgentClient.connect(socket);
    try (watcher; idle) {
      watcher.send(AgentRequest.newBuilder().setWatch(Watch.getDefaultInstance()).build());
      assertThat(watcher.read(MembershipView.parser(), Duration.ofSeconds(5))).isNotNull();

      endpoint.close();

      assertThat(watcher.awaitClosed(Duration.ofSeconds(3))).isTrue();
      assertThat(idle.awaitClosed(Duration.ofSeconds(3))).isTrue();
      assertThat(Files.exists(socket)).isFalse();
      // the loop is the node's: its mesh links go on after the endpoint closed
      assertThat(meshLoop.submit(() -> "still serving").get(3, TimeUnit.SECONDS)).isEqualTo("still serving");
    }
  }

  /**
   * The point of serving the endpoint on the node's mesh loop: the primer, which sends the mesh request, runs on
   * that loop's thread, so gRPC writes the request out without waking another thread (docs/prime-path.md).
   */
  @Test
  void primes_reachThePrimerOnTheNodesLoop_withNoHandOff() throws Exception {
    Path shared = dir.resolve("shared.sock");
    IoEventLoop loop = meshLoop.next();
    List<Boolean> onTheLoop = new CopyOnWriteArrayList<>();
    AgentEndpoint onMeshLoop = new AgentEndpoint(shared, membership, () -> SELF, prime -> {
      onTheLoop.add(loop.inEventLoop());
      return CompletableFuture.completedFuture(PrimeReply.newBuilder().setResult(PrimeResult.PRIMED).build());
    }, this::status, EndpointLimits.DEFAULTS, loop);
    onMeshLoop.start();
    try (RawAgentClient oneExchange = RawAgentClient.connect(shared);
        RawAgentClient channel = RawAgentClient.connect(shared)) {
      oneExchange.send(prime("198.18.0.102", 80, 40000));
      assertThat(oneExchange.read(PrimeReply.parser(), Duration.ofSeconds(5)).getResult()).isEqualTo(PrimeResult.PRIMED);
      AgentRequest first = prime("198.18.0.102", 80, 40001);
      channel.send(first.toBuilder().setPrime(first.getPrime().toBuilder().setRequestId(7)).build());
      assertThat(channel.read(PrimeReply.parser(), Duration.ofSeconds(5)).getRequestId()).isEqualTo(7);
      channel.send(first.toBuilder().setPrime(first.getPrime().toBuilder().setRequestId(8)).build());
      assertThat(channel.read(PrimeReply.parser(), Duration.ofSeconds(5)).getRequestId()).isEqualTo(8);

      assertThat(onTheLoop).containsExactly(true, true, true);
    } finally {
      onMeshLoop.close();
    }
  }

  @Test
  void anEndpointWithoutALoop_servesOnItsOwnThread_andEndsItOnClose() throws Exception {
    Path own = dir.resolve("own.sock");
    AgentEndpoint alone = new AgentEndpoint(own, membership, () -> SELF,
        new AgentPrimer(membership, new MeshLinks(), () -> SELF, Duration.ofSeconds(1)), this::status,
        EndpointLimits.DEFAULTS);
    alone.start();
    try (RawAgentClient watcher = RawAgentClient.connect(own)) {
      watcher.send(AgentRequest.newBuilder().setWatch(Watch.getDefaultInstance()).build());
      assertThat(watcher.read(MembershipView.parser(), Duration.ofSeconds(5))).isNotNull();
      assertThat(endpointThreadAlive()).isTrue();

      alone.close();

      assertThat(watcher.awaitClosed(Duration.ofSeconds(3))).isTrue();
      // the loop's termination is signalled from its thread's last steps: give the thread a moment to end
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
      while (endpointThreadAlive() && System.nanoTime() - deadline < 0) {
        Thread.sleep(10);
      }
      assertThat(endpointThreadAlive()).isFalse();
    }
  }

  private static boolean endpointThreadAlive() {
    return Thread.getAllStackTraces().keySet().stream()
        .anyMatch(t -> t.getName().equals(AgentEndpoint.THREAD_NAME) && t.isAlive());
  }

  /** The node's view as the test's node would give it: its members, each with a link that is down. */
  private NodeStatus status() {
    NodeStatus.Builder status = NodeStatus.newBuilder()
        .setSelf(Member.newBuilder().setId(SELF.id()).setControl(Endpoints.toProto(SELF.control())));
    membership.snapshot().stream().filter(p -> p.id() != SELF.id()).forEach(p -> status.addMembers(PeerStatus.newBuilder()
        .setMember(Member.newBuilder().setId(p.id()).setControl(Endpoints.toProto(p.control())))
        .setLink(LinkStatus.newBuilder().setPeerId(p.id()))));
    return status.build();
  }

  @Test
  void status_isAnsweredWithTheNodesView_thenTheConnectionCloses() throws Exception {
    membership.put(OTHER);
    try (RawAgentClient client = RawAgentClient.connect(socket)) {
      client.send(AgentRequest.newBuilder().setStatus(StatusRequest.getDefaultInstance()).build());

      NodeStatus reply = client.read(NodeStatus.parser(), Duration.ofSeconds(5));

      assertThat(reply.getSelf().getId()).isEqualTo(SELF.id());
      assertThat(reply.getMembersList()).extracting(m -> m.getMember().getId()).containsExactly(OTHER.id());
      assertThat(client.awaitClosed(Duration.ofSeconds(3))).isTrue();
    }
  }

  @Test
  void status_withAnOversizedFrame_isAnsweredFailed_andTheNextStatusIsServed() throws Exception {
    try (RawAgentClient hostile = RawAgentClient.connect(socket)) {
      // a length prefix of 1 MiB, far above the cap: refused before any body byte is stored
      hostile.send(new byte[] {(byte) 0x80, (byte) 0x80, 0x40}, Duration.ofSeconds(5));

      PrimeReply reply = hostile.read(PrimeReply.parser(), Duration.ofSeconds(5));

      assertThat(reply.getResult()).isEqualTo(PrimeResult.FAILED);
      assertThat(reply.getDetail()).contains("frame length");
    }
    try (RawAgentClient client = RawAgentClient.connect(socket)) {
      client.send(AgentRequest.newBuilder().setStatus(StatusRequest.getDefaultInstance()).build());

      assertThat(client.read(NodeStatus.parser(), Duration.ofSeconds(5)).getSelf().getId()).isEqualTo(SELF.id());
    }
  }
}
