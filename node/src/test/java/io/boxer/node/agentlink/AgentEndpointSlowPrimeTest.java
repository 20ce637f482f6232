package io.boxer.node.agentlink;

import static io.boxer.node.agentlink.AgentRequests.SELF;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.boxer.node.membership.Membership;
import io.boxer.proto.agent.v1.NodeStatus;
import io.boxer.proto.agent.v1.AgentRequest;
import io.boxer.proto.agent.v1.Prime;
import io.boxer.proto.agent.v1.PrimeReply;
import io.boxer.proto.v1.PrimeResult;
import io.boxer.testing.JvmResources;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Primes that take their time (a mesh round trip): the reply comes back to the endpoint's one thread from
 * whichever thread completes the future, and nothing waits for it meanwhile. The primer here leaves each
 * prime pending, by its local port, until the test completes it.
 */
class AgentEndpointSlowPrimeTest {
  private static final Duration ANSWER = Duration.ofSeconds(5);
  private static final PrimeReply PRIMED = PrimeReply.newBuilder().setResult(PrimeResult.PRIMED).build();

  @TempDir Path dir;
  private final Map<Integer, CompletableFuture<PrimeReply>> pending = new ConcurrentHashMap<>();
  private final List<RawAgentClient> clients = new ArrayList<>();
  private AgentEndpoint endpoint;

  @BeforeEach
  void start() throws Exception {
    Membership membership = new Membership();
    membership.put(SELF);
    endpoint = new AgentEndpoint(dir.resolve("agent.sock"), membership, () -> SELF, this::prime,
        NodeStatus::getDefaultInstance, EndpointLimits.DEFAULTS);
    endpoint.start();
  }

  private CompletableFuture<PrimeReply> prime(Prime request) {
    if (request.getLocalPort() == 666) {
      throw new IllegalStateException("primer bug");
    }
    CompletableFuture<PrimeReply> answer = new CompletableFuture<>();
    pending.put(request.getLocalPort(), answer);
    return answer;
  }

  @AfterEach
  void stop() throws Exception {
    for (RawAgentClient client : clients) {
      client.close();
    }
    endpoint.close();
  }

  private RawAgentClient sendPrime(int localPort, int timeoutMillis) throws Exception {
    RawAgentClient client = RawAgentClient.connect(dir.resolve("agent.sock"));
    clients.add(client);
    AgentRequest request = AgentRequests.prime(AgentRequests.NON_MEMBER_IP, 80, localPort);
    client.send(request.toBuilder().setPrime(request.getPrime().toBuilder().setTimeoutMs(timeoutMillis)).build());
    return client;
  }

  @Test
  void slowPrime_doesNotHoldUpOtherConnections() throws Exception {
    RawAgentClient slow = sendPrime(40001, 10_000);
    await().atMost(ANSWER).until(() -> pending.containsKey(40001));

    RawAgentClient fast = sendPrime(40002, 10_000);
    await().atMost(ANSWER).until(() -> pending.containsKey(40002));
    pending.get(40002).complete(PRIMED);
    assertThat(fast.read(PrimeReply.parser(), ANSWER)).isEqualTo(PRIMED);

    pending.get(40001).complete(PrimeReply.newBuilder().setResult(PrimeResult.REFUSED).build());
    assertThat(slow.read(PrimeReply.parser(), ANSWER).getResult()).isEqualTo(PrimeResult.REFUSED);
    assertThat(slow.awaitClosed(ANSWER)).isTrue();
  }

  @Test
  void manyPendingPrimes_addNoThreads() throws Exception {
    int before = JvmResources.liveThreads();
    for (int port = 30000; port < 30500; port++) {
      sendPrime(port, 10_000);
    }
    await().atMost(ANSWER).until(() -> pending.size() == 500);

    assertThat(JvmResources.liveThreads() - before).isLessThanOrEqualTo(5);
    pending.values().forEach(f -> f.complete(PRIMED)); // all from this one thread
    for (RawAgentClient client : clients) {
      assertThat(client.read(PrimeReply.parser(), ANSWER)).isEqualTo(PRIMED);
    }
  }

  @Test
  void primeThatNeverCompletes_isAnsweredFailedAfterTheAgentsTimeoutAndGrace() throws Exception {
    long startNanos = System.nanoTime();
    RawAgentClient client = sendPrime(40003, 100);

    PrimeReply reply = client.read(PrimeReply.parser(), ANSWER);

    assertThat(reply.getResult()).isEqualTo(PrimeResult.FAILED);
    assertThat(reply.getDetail()).isEqualTo("the node did not finish the prime in time");
    assertThat(Duration.ofNanos(System.nanoTime() - startNanos))
        .isGreaterThanOrEqualTo(Duration.ofMillis(100 + AgentConnection.PRIME_GRACE_MILLIS));
    pending.get(40003).complete(PRIMED); // too late: dropped, the connection is gone
    assertThat(client.awaitClosed(ANSWER)).isTrue();
  }

  @Test
  void primerThatThrows_isAnsweredFailedAndTheEndpointKeepsServing() throws Exception {
    RawAgentClient broken = sendPrime(666, 1000);

    PrimeReply reply = broken.read(PrimeReply.parser(), ANSWER);

    assertThat(reply.getResult()).isEqualTo(PrimeResult.FAILED);
    assertThat(reply.getDetail()).startsWith("internal error: ");
    RawAgentClient next = sendPrime(40004, 1000);
    await().atMost(ANSWER).until(() -> pending.containsKey(40004));
    pending.get(40004).complete(PRIMED);
    assertThat(next.read(PrimeReply.parser(), ANSWER)).isEqualTo(PRIMED);
  }

  @Test
  void primeThatFailsExceptionally_isAnsweredFailed() throws Exception {
    RawAgentClient client = sendPrime(40005, 1000);
    await().atMost(ANSWER).until(() -> pending.containsKey(40005));

    pending.get(40005).completeExceptionally(new IllegalStateException("link broke"));

    PrimeReply reply = client.read(PrimeReply.parser(), ANSWER);
    assertThat(reply.getResult()).isEqualTo(PrimeResult.FAILED);
    assertThat(reply.getDetail()).isEqualTo("internal error: java.lang.IllegalStateException: link broke");
  }
}
