package io.boxer.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.proto.agent.v1.AgentRequest;
import io.boxer.proto.agent.v1.Prime;
import io.boxer.proto.agent.v1.PrimeReply;
import io.boxer.proto.v1.PrimeResult;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Who reads a prime channel's replies: the waiting caller itself when nobody else does, else the reader thread. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PrimeChannelTest {
  @TempDir
  Path dir;
  private ServerSocketChannel server;
  private SocketChannel agentEnd;
  private SocketChannel nodeEnd;

  @BeforeEach
  void connect() throws IOException {
    UnixDomainSocketAddress path = UnixDomainSocketAddress.of(dir.resolve("node.sock"));
    server = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(path);
    agentEnd = SocketChannel.open(path);
    agentEnd.configureBlocking(false);
    nodeEnd = server.accept();
  }

  @AfterEach
  void close() throws IOException {
    agentEnd.close();
    nodeEnd.close();
    server.close();
  }

  @Test
  void aLoneCaller_readsItsOwnReply_withoutTheReaderThread() throws Exception {
    PrimeChannel channel = PrimeChannel.open(agentEnd, false); // nobody else could read the reply
    CompletableFuture<PrimeReply> call = primeOnAThread(channel, 5000);

    Prime request = readRequest();
    reply(request.getRequestId(), "yours");

    assertThat(call.get(10, TimeUnit.SECONDS).getDetail()).isEqualTo("yours");
  }

  @Test
  void repliesStillAwaitedWhenTheReadingCallerLeaves_areReadByTheReaderThread() throws Exception {
    PrimeChannel channel = PrimeChannel.open(agentEnd);
    CompletableFuture<PrimeReply> call = primeOnAThread(channel, 5000);
    Prime forCall = readRequest();
    CompletableFuture<PrimeReply> pool = channel.primeAsync(prime(), System.nanoTime() + seconds(5));
    Prime forPool = readRequest();

    reply(forCall.getRequestId(), "call");
    assertThat(call.get(10, TimeUnit.SECONDS).getDetail()).isEqualTo("call");
    reply(forPool.getRequestId(), "pool"); // the caller has gone: nobody waits on this one
    assertThat(pool.get(10, TimeUnit.SECONDS).getDetail()).isEqualTo("pool");
  }

  @Test
  void aCallerInterruptedWhileReading_failsAlone_andTheChannelGoesOn() throws Exception {
    PrimeChannel channel = PrimeChannel.open(agentEnd);
    CompletableFuture<Thread> callerThread = new CompletableFuture<>();
    CompletableFuture<PrimeReply> call = primeOnAThread(channel, 10_000, callerThread);
    Prime forCall = readRequest();

    callerThread.get().interrupt();

    assertThatThrownBy(() -> call.get(10, TimeUnit.SECONDS)).cause().isInstanceOf(IOException.class)
        .hasMessage("interrupted while waiting for the reply");
    assertThat(channel.isOpen()).as("a non-blocking read does not close the socket on an interrupt").isTrue();
    reply(forCall.getRequestId(), "late"); // frees its slot; nobody reads it
    CompletableFuture<PrimeReply> next = primeOnAThread(channel, 5000);
    reply(readRequest().getRequestId(), "next");
    assertThat(next.get(10, TimeUnit.SECONDS).getDetail()).isEqualTo("next");
  }

  private static Prime.Builder prime() {
    return Prime.newBuilder().setLocalPort(40001).setTimeoutMs(1000);
  }

  private static long seconds(long n) {
    return TimeUnit.SECONDS.toNanos(n);
  }

  private static CompletableFuture<PrimeReply> primeOnAThread(PrimeChannel channel, long timeoutMillis) {
    return primeOnAThread(channel, timeoutMillis, new CompletableFuture<>());
  }

  private static CompletableFuture<PrimeReply> primeOnAThread(PrimeChannel channel, long timeoutMillis,
      CompletableFuture<Thread> thread) {
    CompletableFuture<PrimeReply> result = new CompletableFuture<>();
    Thread caller = new Thread(() -> {
      try {
        result.complete(channel.prime(prime(), System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis)));
      } catch (Throwable t) {
        result.completeExceptionally(t);
      }
    }, "caller");
    caller.setDaemon(true);
    thread.complete(caller);
    caller.start();
    return result;
  }

  private Prime readRequest() throws IOException {
    AgentRequest request = AgentRequest.parseDelimitedFrom(Channels.newInputStream(nodeEnd));
    assertThat(request).isNotNull();
    return request.getPrime();
  }

  private void reply(long requestId, String detail) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrimeReply.newBuilder().setResult(PrimeResult.PRIMED).setDetail(detail).setRequestId(requestId).build()
        .writeDelimitedTo(bytes);
    ByteBuffer buf = ByteBuffer.wrap(bytes.toByteArray());
    while (buf.hasRemaining()) {
      nodeEnd.write(buf);
    }
  }
}
