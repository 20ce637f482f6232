package io.boxer.node.agentlink;

import static io.boxer.node.agentlink.AgentRequests.SELF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.boxer.node.membership.Membership;
import io.boxer.proto.agent.v1.AgentRequest;
import io.boxer.proto.agent.v1.NodeStatus;
import io.boxer.proto.agent.v1.Prime;
import io.boxer.proto.agent.v1.PrimeReply;
import io.boxer.proto.agent.v1.StatusRequest;
import io.boxer.proto.v1.PrimeResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prime channels (agent.proto): one connection, many primes with request ids, answered as they complete. The
 * primer leaves each prime pending, by its local port, until the test completes it.
 */
class AgentEndpointPrimeChannelTest {
  private static final Duration ANSWER = Duration.ofSeconds(5);

  @TempDir Path dir;
  private final Map<Integer, CompletableFuture<PrimeReply>> pending = new ConcurrentHashMap<>();
  private final CountDownLatch statusEntered = new CountDownLatch(1);
  private final CountDownLatch releaseStatus = new CountDownLatch(1);
  private AgentEndpoint endpoint;
  private RawAgentClient client;

  @BeforeEach
  void start() throws Exception {
    Membership membership = new Membership();
    membership.put(SELF);
    endpoint = new AgentEndpoint(dir.resolve("agent.sock"), membership, () -> SELF, this::prime,
        this::status, EndpointLimits.DEFAULTS);
    endpoint.start();
    client = RawAgentClient.connect(dir.resolve("agent.sock"));
  }

  private CompletableFuture<PrimeReply> prime(Prime request) {
    CompletableFuture<PrimeReply> answer = new CompletableFuture<>();
    pending.put(request.getLocalPort(), answer);
    return answer;
  }

  /** Holds the endpoint's thread (which answers status requests) until the test releases it. */
  private NodeStatus status() {
    statusEntered.countDown();
    try {
      releaseStatus.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return NodeStatus.getDefaultInstance();
  }

  @AfterEach
  void stop() throws Exception {
    releaseStatus.countDown();
    client.close();
    endpoint.close();
  }

  private static AgentRequest prime(int localPort, long requestId, int timeoutMillis) {
    AgentRequest request = AgentRequests.prime(AgentRequests.NON_MEMBER_IP, 80, localPort);
    return request.toBuilder().setPrime(request.getPrime().toBuilder()
        .setRequestId(requestId).setTimeoutMs(timeoutMillis)).build();
  }

  private static PrimeReply reply(String detail) {
    return PrimeReply.newBuilder().setResult(PrimeResult.PRIMED).setDetail(detail).build();
  }

  @Test
  void primeChannel_answersEachPrimeAsItCompletes_withItsRequestId() throws Exception {
    client.send(prime(40001, 7, 10_000));
    client.send(prime(40002, 8, 10_000));
    await().atMost(ANSWER).until(() -> pending.containsKey(40001) && pending.containsKey(40002));

    pending.get(40002).complete(reply("second"));
    PrimeReply first = client.read(PrimeReply.parser(), ANSWER);
    pending.get(40001).complete(reply("first"));
    PrimeReply second = client.read(PrimeReply.parser(), ANSWER);

    assertThat(first.getRequestId()).isEqualTo(8);
    assertThat(first.getDetail()).isEqualTo("second");
    assertThat(second.getRequestId()).isEqualTo(7);
    assertThat(second.getDetail()).isEqualTo("first");

    client.send(prime(40003, 9, 10_000)); // the connection stays open for more
    await().atMost(ANSWER).until(() -> pending.containsKey(40003));
    pending.get(40003).complete(reply("third"));
    assertThat(client.read(PrimeReply.parser(), ANSWER).getRequestId()).isEqualTo(9);
  }

  @Test
  void primeChannel_replyIsWrittenOnTheThreadThatCompletesThePrime() throws Exception {
    client.send(prime(40001, 1, 10_000));
    await().atMost(ANSWER).until(() -> pending.containsKey(40001));
    try (RawAgentClient status = RawAgentClient.connect(dir.resolve("agent.sock"))) {
      status.send(AgentRequest.newBuilder().setStatus(StatusRequest.getDefaultInstance()).build());
      assertThat(statusEntered.await(5, TimeUnit.SECONDS)).isTrue(); // the endpoint's thread is held there now
      try {
        pending.get(40001).complete(reply("direct"));
        assertThat(client.read(PrimeReply.parser(), ANSWER).getDetail()).isEqualTo("direct");
      } finally {
        releaseStatus.countDown();
      }
    }
  }

  @Test
  void primeChannel_twoRequestsInOneWrite_bothStarted() throws Exception {
    byte[] a = RawAgentClient.frame(prime(40001, 1, 10_000));
    byte[] b = RawAgentClient.frame(prime(40002, 2, 10_000));
    byte[] both = new byte[a.length + b.length];
    System.arraycopy(a, 0, both, 0, a.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    client.send(both, ANSWER);
    await().atMost(ANSWER).until(() -> pending.containsKey(40001) && pending.containsKey(40002));
  }

  @Test
  void primeChannel_primeNotCompletedInTime_answeredFailedWithItsId() throws Exception {
    client.send(prime(40001, 5, 1)); // the endpoint gives up 1 ms + PRIME_GRACE_MILLIS later
    PrimeReply reply = client.read(PrimeReply.parser(), ANSWER);
    assertThat(reply.getRequestId()).isEqualTo(5);
    assertThat(reply.getResult()).isEqualTo(PrimeResult.FAILED);
    assertThat(reply.getDetail()).isEqualTo("the node did not finish the prime in time");
    pending.get(40001).complete(reply("too late")); // dropped: answered once
    client.send(prime(40002, 6, 10_000));
    await().atMost(ANSWER).until(() -> pending.containsKey(40002));
    pending.get(40002).complete(reply("next"));
    assertThat(client.read(PrimeReply.parser(), ANSWER).getRequestId()).isEqualTo(6);
  }

  @Test
  void primeChannel_moreThanTheLimitInFlight_closed() throws Exception {
    for (int i = 1; i <= PrimeChannelSession.MAX_IN_FLIGHT; i++) {
      client.send(prime(40000 + i, i, 10_000));
    }
    await().atMost(ANSWER).until(() -> pending.size() == PrimeChannelSession.MAX_IN_FLIGHT);
    client.send(prime(50000, 1000, 10_000));
    assertThat(client.awaitClosed(ANSWER)).isTrue();
    assertThat(pending).doesNotContainKey(50000);
  }

  @Test
  void primeChannel_reusedRequestId_closed() throws Exception {
    client.send(prime(40001, 3, 10_000));
    client.send(prime(40002, 3, 10_000));
    assertThat(client.awaitClosed(ANSWER)).isTrue();
  }

  @Test
  void primeChannel_laterRequestWithoutId_closed() throws Exception {
    client.send(prime(40001, 3, 10_000));
    client.send(prime(40002, 0, 10_000));
    assertThat(client.awaitClosed(ANSWER)).isTrue();
  }
}
