package io.boxer.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import io.boxer.agent.fakenode.FakeNode;
import io.boxer.proto.agent.v1.AgentRequest;
import io.boxer.proto.agent.v1.Prime;
import io.boxer.proto.agent.v1.PrimeReply;
import io.boxer.proto.v1.PrimeResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 30, unit = TimeUnit.SECONDS) // a client that hangs fails its test instead of the build
class PrimeClientTest {

  private static final InetAddress MEMBER = address("198.18.99.1");

  @TempDir
  Path dir;
  private FakeNode node;

  @BeforeEach
  void startNode() throws IOException {
    node = new FakeNode(dir.resolve("agent.sock")).start();
  }

  @AfterEach
  void stopNode() throws IOException {
    node.close();
  }

  @Test
  void prime_sendsRequestAndReturnsReply() throws Exception {
    PrimeReply expected = PrimeReply.newBuilder().setResult(PrimeResult.FAILED).setDetail("peer gone").build();
    node.setReply(expected);
    PrimeReply reply = new PrimeClient(node.socket()).prime(40001, MEMBER, 4000, 3000);
    assertThat(reply.toBuilder().clearRequestId().build()).isEqualTo(expected);
    assertThat(node.primes()).hasSize(1);
    Prime prime = node.primes().get(0);
    assertThat(prime.getLocalPort()).isEqualTo(40001);
    assertThat(prime.getRemote().getIp().toByteArray()).containsExactly(198, 18, 99, 1);
    assertThat(prime.getRemote().getPort()).isEqualTo(4000);
    assertThat(prime.getTimeoutMs()).isEqualTo(3000);
    assertThat(prime.getRequestId()).isPositive();
  }

  @Test
  void primeForPool_sendsAPoolPrimeOnTheSameChannel_andCompletesWithItsResult() throws Exception {
    node.setReply(PrimeReply.newBuilder().setResult(PrimeResult.PRIMED).build());
    PrimeClient client = new PrimeClient(node.socket());
    client.prime(40001, MEMBER, 4000, 3000);

    PrimeResult result = client.primeForPool(40002, MEMBER, 4000, 3000).get(10, TimeUnit.SECONDS);

    assertThat(result).isEqualTo(PrimeResult.PRIMED);
    assertThat(node.primes()).extracting(Prime::getLocalPort, Prime::getPool)
        .containsExactly(tuple(40001, false), tuple(40002, true));
    assertThat(node.primeConnections()).isEqualTo(1);
  }

  @Test
  void primeForPool_nodeGone_completesExceptionally_withoutThrowing() throws Exception {
    node.close();

    CompletableFuture<PrimeResult> result = new PrimeClient(node.socket()).primeForPool(40002, MEMBER, 4000, 3000);

    assertThat(result).failsWithin(Duration.ofSeconds(10));
  }

  @Test
  void prime_silentNode_timesOutAfterTimeoutPlusGrace() throws Exception {
    node.setSilent();
    long start = System.nanoTime();
    assertThatThrownBy(() -> new PrimeClient(node.socket()).prime(40001, MEMBER, 4000, 300))
        .isInstanceOf(IOException.class).hasMessage("timed out waiting for the reply");
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(elapsedMillis).isBetween(300L, 300L + PrimeClient.GRACE_MILLIS + 1000);
  }

  @Test
  void prime_noNode_failsAtOnce() throws Exception {
    PrimeClient client = new PrimeClient(dir.resolve("missing.sock"));
    assertThatThrownBy(() -> client.prime(1, MEMBER, 4000, 5000)).isInstanceOf(IOException.class);
  }

  @Test
  void prime_manyPrimes_shareOneConnectionWithFreshIds() throws Exception {
    node.setReply(PrimeReply.newBuilder().setResult(PrimeResult.PRIMED).build());
    PrimeClient client = new PrimeClient(node.socket());
    for (int i = 0; i < 5; i++) {
      assertThat(client.prime(40001 + i, MEMBER, 4000, 3000).getResult()).isEqualTo(PrimeResult.PRIMED);
    }
    assertThat(node.primes()).extracting(Prime::getRequestId).doesNotHaveDuplicates().hasSize(5);
    assertThat(node.primeConnections()).isEqualTo(1);
  }

  @Test
  void prime_concurrentPrimesAnsweredOutOfOrder_eachReachesItsCaller() throws Exception {
    try (ScriptedNode scripted = new ScriptedNode(dir.resolve("scripted.sock"))) {
      PrimeClient client = new PrimeClient(scripted.path);
      List<CompletableFuture<PrimeReply>> calls = new ArrayList<>();
      for (int port = 4001; port <= 4003; port++) {
        calls.add(primeAsync(client, port, 5000));
      }
      SocketChannel channel = scripted.accept();
      List<Prime> primes = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        primes.add(scripted.read(channel));
      }
      for (int i = primes.size() - 1; i >= 0; i--) { // the last one first
        Prime p = primes.get(i);
        scripted.reply(channel, p.getRequestId(), "port " + p.getRemote().getPort());
      }
      for (int i = 0; i < calls.size(); i++) {
        assertThat(calls.get(i).get(10, TimeUnit.SECONDS).getDetail()).isEqualTo("port " + (4001 + i));
      }
      assertThat(scripted.pendingConnection()).as("one connection for all").isFalse();
    }
  }

  @Test
  void prime_oneCallerTimesOut_theOthersStillGetTheirReplies() throws Exception {
    try (ScriptedNode scripted = new ScriptedNode(dir.resolve("scripted.sock"))) {
      PrimeClient client = new PrimeClient(scripted.path);
      CompletableFuture<PrimeReply> slow = primeAsync(client, 4001, 100);
      CompletableFuture<PrimeReply> patient = primeAsync(client, 4002, 10_000);
      SocketChannel channel = scripted.accept();
      Prime first = scripted.read(channel);
      Prime second = scripted.read(channel);
      Prime forSlow = first.getRemote().getPort() == 4001 ? first : second;
      Prime forPatient = first == forSlow ? second : first;

      assertThatThrownBy(() -> slow.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
          .cause().isInstanceOf(IOException.class).hasMessage("timed out waiting for the reply");
      assertThat(patient).isNotDone();
      scripted.reply(channel, forSlow.getRequestId(), "late"); // nobody waits for it: dropped
      scripted.reply(channel, forPatient.getRequestId(), "patient");
      assertThat(patient.get(10, TimeUnit.SECONDS).getDetail()).isEqualTo("patient");

      CompletableFuture<PrimeReply> next = primeAsync(client, 4003, 10_000); // the same connection goes on
      Prime third = scripted.read(channel);
      scripted.reply(channel, third.getRequestId(), "next");
      assertThat(next.get(10, TimeUnit.SECONDS).getDetail()).isEqualTo("next");
    }
  }

  @Test
  void prime_nodeRestarted_reconnects() throws Exception {
    node.setReply(PrimeReply.newBuilder().setResult(PrimeResult.PRIMED).build());
    PrimeClient client = new PrimeClient(node.socket());
    assertThat(client.prime(40001, MEMBER, 4000, 3000).getResult()).isEqualTo(PrimeResult.PRIMED);

    node.close(); // the node goes away with its end of the channel, and a new one takes its socket path
    node = new FakeNode(dir.resolve("agent.sock")).start();
    node.setReply(PrimeReply.newBuilder().setResult(PrimeResult.REFUSED).build());

    assertThat(client.prime(40002, MEMBER, 4000, 3000).getResult()).isEqualTo(PrimeResult.REFUSED);
    assertThat(node.primes()).singleElement().extracting(Prime::getLocalPort).isEqualTo(40002);
  }

  @Test
  void prime_nodeGoneMidPrime_failsPromptlyNamingBoxer() throws Exception {
    node.setSilent();
    PrimeClient client = new PrimeClient(node.socket());
    CompletableFuture<PrimeReply> call = primeAsync(client, 4001, 60_000);
    await().atMost(Duration.ofSeconds(10)).until(() -> node.primes().size() == 1);
    long start = System.nanoTime();
    node.close();
    assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(IOException.class)
        .hasMessage("the Boxer node closed the connection");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThatThrownBy(() -> client.prime(40002, MEMBER, 4000, 60_000)).isInstanceOf(IOException.class);
  }

  @Test
  void prime_malformedReply_isAnIOExceptionNamingBoxer() throws Exception {
    byte[] noProtobuf = {4, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
    assertThat(failureAfterReply(noProtobuf)).isInstanceOf(IOException.class)
        .hasMessageStartingWith("malformed reply from the Boxer node: ");
  }

  @Test
  void prime_oversizedReply_failsOnItsLengthPrefix() throws Exception {
    // announces 256 MiB: refused from the prefix, before any of it would be stored
    byte[] huge = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01, 1, 2, 3};
    assertThat(failureAfterReply(huge)).isInstanceOf(IOException.class)
        .hasMessage("malformed reply from the Boxer node: message length 268435456 (expected: 0.."
            + PrimeChannel.MAX_REPLY_BYTES + ")");
  }

  /** What a prime fails with when the node answers it with {@code reply} (raw bytes). */
  private Throwable failureAfterReply(byte[] reply) throws Exception {
    try (ScriptedNode scripted = new ScriptedNode(dir.resolve("scripted.sock"))) {
      CompletableFuture<PrimeReply> call = primeAsync(new PrimeClient(scripted.path), 4001, 60_000);
      SocketChannel channel = scripted.accept();
      scripted.read(channel);
      scripted.write(channel, reply);
      ExecutionException failed = catchThrowableOfType(ExecutionException.class,
          () -> call.get(10, TimeUnit.SECONDS));
      assertThat(failed).as("the prime failed").isNotNull();
      return failed.getCause();
    }
  }

  private static CompletableFuture<PrimeReply> primeAsync(PrimeClient client, int port, int timeoutMillis) {
    CompletableFuture<PrimeReply> result = new CompletableFuture<>();
    Thread caller = new Thread(() -> {
      try {
        result.complete(client.prime(40000 + port % 1000, MEMBER, port, timeoutMillis));
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    }, "prime-" + port);
    caller.setDaemon(true);
    caller.start();
    return result;
  }

  private static InetAddress address(String ip) {
    try {
      return InetAddress.getByName(ip);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A node whose every byte the test writes: requests are read and replies written on the test's thread. */
  private static final class ScriptedNode implements AutoCloseable {
    final Path path;
    private final ServerSocketChannel server;
    private final List<SocketChannel> accepted = new ArrayList<>();

    ScriptedNode(Path path) throws IOException {
      this.path = path;
      server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(path));
    }

    SocketChannel accept() throws IOException {
      SocketChannel channel = server.accept();
      accepted.add(channel);
      return channel;
    }

    /** Whether a further connection waits to be accepted. */
    boolean pendingConnection() throws IOException {
      server.configureBlocking(false);
      try {
        SocketChannel more = server.accept();
        if (more != null) {
          accepted.add(more);
        }
        return more != null;
      } finally {
        server.configureBlocking(true);
      }
    }

    Prime read(SocketChannel channel) throws IOException {
      InputStream in = Channels.newInputStream(channel);
      AgentRequest request = AgentRequest.parseDelimitedFrom(in);
      assertThat(request).isNotNull();
      return request.getPrime();
    }

    void reply(SocketChannel channel, long requestId, String detail) throws IOException {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      PrimeReply.newBuilder().setResult(PrimeResult.PRIMED).setDetail(detail).setRequestId(requestId).build()
          .writeDelimitedTo(bytes);
      write(channel, bytes.toByteArray());
    }

    void write(SocketChannel channel, byte[] bytes) throws IOException {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        channel.write(buf);
      }
    }

    @Override
    public void close() throws IOException {
      for (SocketChannel channel : accepted) {
        channel.close();
      }
      server.close();
    }
  }
}
