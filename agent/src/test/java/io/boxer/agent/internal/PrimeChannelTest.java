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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
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

  /**
   * Many callers and pool primes at once, answered in shuffled batches: every reply reaches its prime, whoever
   * holds the read role when it arrives. A reply left without a reader (a lost hand-over) would time a caller out.
   */
  @RepeatedTest(5) // interleavings differ from run to run
  void concurrentCallersAndPoolPrimes_everyReplyReachesItsPrime() throws Exception {
    PrimeChannel channel = PrimeChannel.open(agentEnd);
    int callers = 6;
    int primesEach = 150;
    Thread node = new Thread(() -> answerShuffled(callers * primesEach + primesEach), "node");
    node.setDaemon(true);
    node.start();
    List<CompletableFuture<PrimeReply>> pool = new ArrayList<>();
    List<Thread> threads = new ArrayList<>();
    AtomicInteger wrong = new AtomicInteger();
    for (int c = 0; c < callers; c++) {
      int caller = c;
      Thread thread = new Thread(() -> {
        for (int i = 0; i < primesEach; i++) {
          int port = 1000 * (caller + 1) + i;
          try {
            PrimeReply reply = channel.prime(prime().setLocalPort(port), System.nanoTime() + seconds(10));
            if (!reply.getDetail().equals("port " + port)) {
              wrong.incrementAndGet();
            }
          } catch (IOException e) {
            wrong.incrementAndGet();
          }
        }
      }, "caller-" + c);
      thread.start();
      threads.add(thread);
    }
    for (int i = 0; i < primesEach; i++) {
      pool.add(primeAsyncRetrying(channel, 50_000 + i));
    }
    for (Thread thread : threads) {
      thread.join(TimeUnit.SECONDS.toMillis(20));
      assertThat(thread.isAlive()).as(thread.getName() + " done").isFalse();
    }
    for (int i = 0; i < primesEach; i++) {
      assertThat(pool.get(i).get(10, TimeUnit.SECONDS).getDetail()).isEqualTo("port " + (50_000 + i));
    }
    assertThat(wrong).as("callers whose reply was wrong or missing").hasValue(0);
  }

  /** A pool prime, waiting (bounded) for a free slot: the callers may hold all of them for a moment. */
  private static CompletableFuture<PrimeReply> primeAsyncRetrying(PrimeChannel channel, int port) throws Exception {
    long until = System.nanoTime() + seconds(10);
    while (true) {
      try {
        return channel.primeAsync(prime().setLocalPort(port), System.nanoTime() + seconds(10));
      } catch (IOException e) {
        if (System.nanoTime() - until > 0) {
          throw e;
        }
        Thread.sleep(1);
      }
    }
  }

  /** The node: answers {@code count} requests, each batch it reads at once in a shuffled order, naming the port. */
  private void answerShuffled(int count) {
    Random random = new Random(42);
    ByteBuffer in = ByteBuffer.allocate(64 * 1024);
    try {
      for (int answered = 0; answered < count; ) {
        if (nodeEnd.read(in) < 0) {
          return;
        }
        List<Prime> batch = new ArrayList<>();
        byte[] frame;
        while ((frame = DelimitedFrames.take(in, 4096)) != null) {
          batch.add(AgentRequest.parseFrom(frame).getPrime());
        }
        Collections.shuffle(batch, random);
        for (Prime p : batch) {
          reply(p.getRequestId(), "port " + p.getLocalPort());
        }
        answered += batch.size();
      }
    } catch (IOException e) {
      // the test ends the connection
    }
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
