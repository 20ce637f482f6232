package io.boxer.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.agent.fakenode.FakeNode;
import io.boxer.proto.agent.v1.Prime;
import io.boxer.proto.agent.v1.PrimeReply;
import io.boxer.proto.v1.PrimeResult;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrimeClientTest {

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
    PrimeReply reply = new PrimeClient(node.socket())
        .prime(40001, InetAddress.getByName("198.18.99.1"), 4000, 3000);
    assertThat(reply).isEqualTo(expected);
    assertThat(node.primes()).hasSize(1);
    Prime prime = node.primes().get(0);
    assertThat(prime.getLocalPort()).isEqualTo(40001);
    assertThat(prime.getRemote().getIp().toByteArray()).containsExactly(198, 18, 99, 1);
    assertThat(prime.getRemote().getPort()).isEqualTo(4000);
    assertThat(prime.getTimeoutMs()).isEqualTo(3000);
  }

  @Test
  void prime_silentNode_timesOutAfterTimeoutPlusGrace() throws Exception {
    node.setSilent();
    long start = System.nanoTime();
    assertThatThrownBy(() -> new PrimeClient(node.socket())
        .prime(40001, InetAddress.getByName("198.18.99.1"), 4000, 300))
        .isInstanceOf(IOException.class).hasMessage("timed out waiting for the reply");
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    assertThat(elapsedMillis).isBetween(300L, 300L + PrimeClient.GRACE_MILLIS + 1000);
  }

  @Test
  void prime_noNode_failsAtOnce() throws Exception {
    PrimeClient client = new PrimeClient(dir.resolve("missing.sock"));
    assertThatThrownBy(() -> client.prime(1, InetAddress.getByName("198.18.99.1"), 4000, 5000))
        .isInstanceOf(IOException.class);
  }
}
