package io.boxer.node.agentlink;

import static io.boxer.node.agentlink.AgentRequests.SELF;
import static io.boxer.testing.JvmResources.MIB;
import static io.boxer.testing.JvmResources.liveThreads;
import static io.boxer.testing.JvmResources.usedHeapAfterGc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.boxer.node.membership.Membership;
import io.boxer.node.mesh.MeshLinks;
import io.boxer.proto.agent.v1.NodeStatus;
import io.boxer.proto.agent.v1.MembershipView;
import io.boxer.proto.agent.v1.PrimeReply;
import io.boxer.proto.v1.PrimeResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoint's resource bounds (issue 8): threads, connections, frame size, request deadline and memory stay
 * bounded whatever the clients do. Each test measures what a hostile or broken client would make grow.
 */
class AgentEndpointBoundsTest {
  private static final Duration ANSWER = Duration.ofSeconds(5);

  @TempDir Path dir;
  private final Membership membership = new Membership();
  private final List<RawAgentClient> clients = new ArrayList<>();
  private AgentEndpoint endpoint;
  private Path socket;

  private void start(EndpointLimits limits) throws Exception {
    membership.put(SELF);
    socket = dir.resolve("agent.sock");
    endpoint = new AgentEndpoint(socket, membership, () -> SELF,
        new AgentPrimer(membership, new MeshLinks(), () -> SELF, Duration.ofSeconds(1)), NodeStatus::getDefaultInstance,
        limits);
    endpoint.start();
  }

  @AfterEach
  void stop() throws Exception {
    for (RawAgentClient client : clients) {
      client.close();
    }
    if (endpoint != null) {
      endpoint.close();
    }
  }

  private RawAgentClient connect() throws Exception {
    RawAgentClient client = RawAgentClient.connect(socket);
    clients.add(client);
    return client;
  }

  private PrimeReply primeToNonMember() throws Exception {
    try (RawAgentClient client = RawAgentClient.connect(socket)) {
      client.send(AgentRequests.primeToNonMember());
      return client.read(PrimeReply.parser(), ANSWER);
    }
  }

  private void assertStillServes() throws Exception {
    PrimeReply reply = primeToNonMember();
    assertThat(reply).isNotNull();
    assertThat(reply.getResult()).isEqualTo(PrimeResult.NOT_MEMBER);
  }

  @Test
  void idleConnections_addNoThreads() throws Exception {
    start(EndpointLimits.DEFAULTS);
    int before = liveThreads();

    for (int i = 0; i < 1000; i++) {
      connect();
    }
    assertStillServes(); // accepted after the 1,000: all of them are being served

    assertThat(liveThreads() - before).isLessThanOrEqualTo(5);
  }

  @Test
  void hugeLengthPrefix_isAnsweredFailedWithoutAllocatingAndTheEndpointKeepsServing() throws Exception {
    start(EndpointLimits.DEFAULTS);
    long heapBefore = usedHeapAfterGc();
    RawAgentClient client = connect();

    // A 200 MiB frame whose body starts as valid protobuf: an unknown bytes field (15) as long as the frame.
    client.send(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, 0x64, // 209715200
        0x7a, (byte) 0xfb, (byte) 0xff, (byte) 0xff, 0x63}, ANSWER); // field 15, 209715195 bytes
    client.sendSome(new byte[64 * 1024]); // the start of a body that never comes in full
    PrimeReply reply = client.read(PrimeReply.parser(), ANSWER);

    assertThat(reply).isNotNull();
    assertThat(reply.getResult()).isEqualTo(PrimeResult.FAILED);
    assertThat(reply.getDetail()).isEqualTo("malformed request: frame length 209715200 (expected: 0..4096)");
    assertThat(client.awaitClosed(ANSWER)).isTrue();
    assertThat(usedHeapAfterGc() - heapBefore).isLessThan(16 * MIB);
    assertStillServes();
  }

  @Test
  void overlongVarintPrefix_isAnsweredFailed() throws Exception {
    start(EndpointLimits.DEFAULTS);
    RawAgentClient client = connect();

    client.send(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00}, ANSWER);
    PrimeReply reply = client.read(PrimeReply.parser(), ANSWER);

    assertThat(reply).isNotNull();
    assertThat(reply.getResult()).isEqualTo(PrimeResult.FAILED);
    assertThat(reply.getDetail()).isEqualTo("malformed request: frame length prefix longer than 5 bytes");
    assertThat(client.awaitClosed(ANSWER)).isTrue();
    assertStillServes();
  }

  @Test
  void requestEndedInsideTheFrame_isAnsweredFailed() throws Exception {
    start(EndpointLimits.DEFAULTS);
    RawAgentClient client = connect();
    byte[] frame = RawAgentClient.frame(AgentRequests.primeToNonMember());

    client.send(Arrays.copyOf(frame, frame.length - 1), ANSWER);
    client.shutdownOutput();
    PrimeReply reply = client.read(PrimeReply.parser(), ANSWER);

    assertThat(reply).isNotNull();
    assertThat(reply.getResult()).isEqualTo(PrimeResult.FAILED);
    assertThat(reply.getDetail()).startsWith("malformed request: ");
  }

  @Test
  void idleConnection_isClosedAfterTheRequestDeadline() throws Exception {
    start(new EndpointLimits(EndpointLimits.MAX_CONNECTIONS, EndpointLimits.MAX_REQUEST_BYTES,
        Duration.ofMillis(300)));
    RawAgentClient client = connect();
    long startNanos = System.nanoTime();

    boolean closed = client.awaitClosed(Duration.ofSeconds(5));

    assertThat(closed).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - startNanos)).isGreaterThanOrEqualTo(Duration.ofMillis(250));
  }

  @Test
  void partialRequest_isClosedAfterTheRequestDeadline() throws Exception {
    start(new EndpointLimits(EndpointLimits.MAX_CONNECTIONS, EndpointLimits.MAX_REQUEST_BYTES,
        Duration.ofMillis(300)));
    RawAgentClient client = connect();
    byte[] frame = RawAgentClient.frame(AgentRequests.primeToNonMember());

    client.send(Arrays.copyOf(frame, 3), ANSWER); // and never the rest

    assertThat(client.awaitClosed(Duration.ofSeconds(5))).isTrue();
  }

  @Test
  void watch_staysOpenPastTheRequestDeadline() throws Exception {
    start(new EndpointLimits(EndpointLimits.MAX_CONNECTIONS, EndpointLimits.MAX_REQUEST_BYTES,
        Duration.ofMillis(200)));
    RawAgentClient client = connect();
    client.send(AgentRequests.watch());
    assertThat(client.read(MembershipView.parser(), ANSWER)).isNotNull();

    Thread.sleep(1000);
    membership.put(AgentRequests.member(7));

    MembershipView view = client.read(MembershipView.parser(), ANSWER);
    assertThat(view).isNotNull();
    assertThat(view.getMemberIpsCount()).isEqualTo(1);
  }

  @Test
  void connectionsBeyondTheCap_areClosedAtOnce() throws Exception {
    start(new EndpointLimits(4, EndpointLimits.MAX_REQUEST_BYTES, Duration.ofSeconds(30)));
    List<RawAgentClient> admitted = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      admitted.add(connect());
    }

    RawAgentClient fifth = connect();

    assertThat(fifth.awaitClosed(Duration.ofSeconds(1))).isTrue();
    for (RawAgentClient client : admitted) {
      assertThat(client.awaitClosed(Duration.ofMillis(50))).isFalse();
    }
    admitted.get(0).close(); // frees a slot
    await().atMost(Duration.ofSeconds(5)).ignoreExceptions().untilAsserted(this::assertStillServes);
  }

  @Test
  void stalledWatchers_holdBoundedMemoryAndThreadsWhileMembershipChurns() throws Exception {
    start(EndpointLimits.DEFAULTS);
    int threadsBefore = liveThreads();
    long heapBefore = usedHeapAfterGc();
    List<RawAgentClient> watchers = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      RawAgentClient watcher = connect();
      watcher.send(AgentRequests.watch()); // and never reads
      watchers.add(watcher);
    }

    int changes = 5000;
    for (int i = 1; i <= changes; i++) {
      membership.put(AgentRequests.member(100 + i)); // views grow to ~30 KB: the socket buffers fill up
    }

    assertThat(liveThreads() - threadsBefore).isLessThanOrEqualTo(5);
    assertThat(usedHeapAfterGc() - heapBefore).isLessThan(32 * MIB);
    RawAgentClient reader = watchers.get(0); // starts reading: stale views, then the newest
    MembershipView view;
    do {
      view = reader.read(MembershipView.parser(), ANSWER);
      assertThat(view).isNotNull();
    } while (view.getMemberIpsCount() < changes);
    assertStillServes();
  }
}
