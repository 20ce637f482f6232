package io.boxer.node.agentlink;

import io.boxer.testing.JvmResources;
import io.boxer.testing.Mutation;
import static io.boxer.node.agentlink.AgentRequests.SELF;
import static io.boxer.testing.JvmResources.MIB;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import io.boxer.node.membership.Membership;
import io.boxer.node.mesh.MeshLinks;
import io.boxer.proto.agent.v1.NodeStatus;
import io.boxer.proto.agent.v1.AgentRequest;
import io.boxer.proto.agent.v1.Prime;
import io.boxer.proto.agent.v1.PrimeReply;
import io.boxer.proto.v1.Endpoint;
import io.boxer.proto.v1.PrimeResult;
import io.netty.channel.IoEventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Random and mutated requests against one running endpoint: whatever a client sends, the endpoint ends the
 * exchange (answer and close, or close), keeps answering a valid request afterwards, and its threads and heap
 * stay bounded. Each case half-closes after sending, so that every exchange ends at once instead of at the
 * request deadline.
 */
class AgentEndpointFuzzTest {
  private static final Duration ANSWER = Duration.ofSeconds(5);
  /** Heap is checked after every this many cases (a full GC each time). */
  private static final int HEAP_CHECK_EVERY = 500;

  private static Path dir;
  private static Path socket;
  private static AgentEndpoint endpoint;
  private static IoEventLoopGroup meshLoop; // the endpoint is served on it, as in a node
  private static int threadsAtStart;
  private static long heapAtStart;
  private static final AtomicInteger cases = new AtomicInteger();

  @BeforeContainer
  static void start() throws Exception {
    dir = Files.createTempDirectory("boxer-agent-fuzz-");
    socket = dir.resolve("agent.sock");
    Membership membership = new Membership();
    membership.put(SELF);
    meshLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    endpoint = new AgentEndpoint(socket, membership, () -> SELF,
        new AgentPrimer(membership, new MeshLinks(), () -> SELF, Duration.ofSeconds(1)), NodeStatus::getDefaultInstance,
        meshLoop.next());
    endpoint.start();
    threadsAtStart = JvmResources.liveThreads();
    heapAtStart = JvmResources.usedHeapAfterGc();
  }

  @AfterContainer
  static void stop() throws Exception {
    try {
      endpoint.close();
      meshLoop.shutdownGracefully(0, 0, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  @Property(tries = 1000)
  void randomBytes_neverBreakTheEndpoint(@ForAll @Size(max = 64) byte[] bytes) throws Exception {
    exchangeThenCheck(bytes);
  }

  @Property(tries = 1000)
  void randomBodiesInAValidFrame_neverBreakTheEndpoint(@ForAll @Size(max = 300) byte[] body) throws Exception {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    CodedOutputStream coded = CodedOutputStream.newInstance(frame);
    coded.writeUInt32NoTag(body.length);
    coded.writeRawBytes(body);
    coded.flush();
    exchangeThenCheck(frame.toByteArray());
  }

  @Property(tries = 1500)
  void mutatedRequests_neverBreakTheEndpoint(
      @ForAll("validFrames") byte[] frame, @ForAll("mutations") List<Mutation> mutations) throws Exception {
    exchangeThenCheck(Mutation.applyAll(frame, mutations));
  }

  /** Sends {@code bytes}, half-closes, expects the endpoint to end the exchange, then a valid prime to work. */
  private static void exchangeThenCheck(byte[] bytes) throws Exception {
    try (RawAgentClient client = RawAgentClient.connect(socket)) {
      try {
        client.send(bytes, ANSWER);
        client.shutdownOutput();
      } catch (IOException e) {
        // the endpoint answered and closed before taking all of it (a refused prefix): fine
      }
      assertThat(client.awaitClosed(ANSWER)).as("the endpoint ends every exchange").isTrue();
    }
    try (RawAgentClient client = RawAgentClient.connect(socket)) {
      client.send(AgentRequests.primeToNonMember());
      PrimeReply reply = client.read(PrimeReply.parser(), ANSWER);
      assertThat(reply).isNotNull();
      assertThat(reply.getResult()).isEqualTo(PrimeResult.NOT_MEMBER);
    }
    assertThat(JvmResources.liveThreads()).isLessThanOrEqualTo(threadsAtStart + 5);
    if (cases.incrementAndGet() % HEAP_CHECK_EVERY == 0) {
      assertThat(JvmResources.usedHeapAfterGc()).isLessThan(heapAtStart + 32 * MIB);
    }
  }

  @Provide
  Arbitrary<byte[]> validFrames() {
    Arbitrary<byte[]> ips = Arbitraries.oneOf(
        Arbitraries.bytes().array(byte[].class).ofSize(4),
        Arbitraries.bytes().array(byte[].class).ofSize(16),
        Arbitraries.just(SELF.externalIp().getAddress()));
    Arbitrary<AgentRequest> primes = Combinators.combine(
            Arbitraries.integers().between(0, 70_000),
            ips,
            Arbitraries.integers().between(0, 70_000),
            Arbitraries.integers().between(0, 10_000))
        .as((localPort, ip, port, timeout) -> AgentRequest.newBuilder().setPrime(Prime.newBuilder()
            .setLocalPort(localPort)
            .setRemote(Endpoint.newBuilder().setIp(ByteString.copyFrom(ip)).setPort(port))
            .setTimeoutMs(timeout)).build());
    return Arbitraries.oneOf(primes, Arbitraries.just(AgentRequests.watch())).map(request -> {
      try {
        return RawAgentClient.frame(request);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
  }

  @Provide
  Arbitrary<List<Mutation>> mutations() {
    return Mutation.lists();
  }
}
