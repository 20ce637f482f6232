package io.boxer.agent.internal;

import com.google.protobuf.ByteString;
import io.boxer.proto.agent.v1.Prime;
import io.boxer.proto.agent.v1.PrimeReply;
import io.boxer.proto.v1.Endpoint;
import io.boxer.proto.v1.PrimeResult;
import java.io.IOException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The agent's primes, over one persistent, multiplexed connection to the local node ({@link PrimeChannel}),
 * opened with the first prime and again after the node closed it (a node restart): a prime costs one request
 * and one reply on the connection, not a new connection each. Every step (connecting, waiting for a slot, for
 * the reply) shares one deadline, so a call never blocks longer than the timeout plus {@value #GRACE_MILLIS} ms
 * (plus at most {@value #CONNECT_RETRY_MILLIS} ms of connect retries). Thread-safe. The protobuf classes load on
 * the first call, not with this class.
 */
final class PrimeClient implements BoxerSocketHook.Primer, WarmPorts.Primer {

  /** Extra wait beyond the timeout sent to the node, for its FAILED reply to arrive. */
  static final int GRACE_MILLIS = 250;

  /** How long a refused connect to the node is retried. */
  static final int CONNECT_RETRY_MILLIS = 200;

  private final Path socketPath;
  private final Object connecting = new Object();
  private volatile PrimeChannel channel; // the open channel, or null / closed before the first or next prime
  // written under "connecting": how many connects failed; a thread that waited behind one takes its failure
  private volatile long failedConnects;
  // @GuardedBy("connecting")
  private IOException lastConnectFailure;

  PrimeClient(Path socketPath) {
    this.socketPath = socketPath;
  }

  /** The request for a prime of {@code remote:port} for a client socket bound to {@code localPort}. */
  static Prime.Builder request(int localPort, InetAddress remote, int port, int timeoutMillis) {
    return Prime.newBuilder()
        .setLocalPort(localPort)
        .setRemote(Endpoint.newBuilder().setIp(ByteString.copyFrom(remote.getAddress())).setPort(port))
        .setTimeoutMs(timeoutMillis);
  }

  /**
   * Sends the prime request and waits for its reply. A request that found the connection ended (the node
   * restarted) is sent once more on a new connection.
   *
   * @throws IOException when the node cannot be reached, closes early, answers garbage, or does not answer in
   *     time (the message says which)
   */
  @Override
  public PrimeReply prime(int localPort, InetAddress remote, int port, int timeoutMillis) throws IOException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos((long) timeoutMillis + GRACE_MILLIS);
    Prime.Builder request = request(localPort, remote, port, timeoutMillis);
    try {
      return channel(deadline).prime(request, deadline);
    } catch (PrimeChannel.NotSentException e) {
      return channel(deadline).prime(request, deadline);
    }
  }

  /**
   * Sends a prime for the warm port pool ({@code Prime.pool}) without waiting for its reply; connecting the channel
   * first if there is none (on the pool's thread, never an application's).
   *
   * @return completes with the node's answer, or exceptionally (no slot free, the node unreachable or gone)
   */
  @Override
  public CompletableFuture<PrimeResult> primeForPool(int localPort, InetAddress remote, int port, int timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos((long) timeoutMillis + GRACE_MILLIS);
    Prime.Builder request = request(localPort, remote, port, timeoutMillis).setPool(true);
    CompletableFuture<PrimeReply> reply;
    try {
      try {
        reply = channel(deadline).primeAsync(request, deadline);
      } catch (PrimeChannel.NotSentException e) {
        reply = channel(deadline).primeAsync(request, deadline);
      }
    } catch (IOException e) {
      return CompletableFuture.failedFuture(e);
    }
    return reply.thenApply(PrimeReply::getResult);
  }

  /** The open channel, connecting a new one if there is none. */
  private PrimeChannel channel(long deadline) throws IOException {
    PrimeChannel open = channel;
    if (open != null && open.isOpen()) {
      return open;
    }
    long failedBefore = failedConnects;
    synchronized (connecting) {
      open = channel;
      if (open != null && open.isOpen()) {
        return open;
      }
      if (failedConnects != failedBefore) { // a node that is gone costs one connect's retries, not one per thread
        throw new IOException(lastConnectFailure.getMessage(), lastConnectFailure);
      }
      try {
        open = PrimeChannel.open(connect(deadline));
      } catch (IOException e) {
        failedConnects++;
        lastConnectFailure = e;
        throw e;
      }
      channel = open;
      return open;
    }
  }

  /**
   * A non-blocking connection to the node. A Unix socket's connect fails at once when the node's accept queue
   * is full (EAGAIN: many connects started together), so a failed connect is tried again, backing off from
   * 1 ms, for at most {@value #CONNECT_RETRY_MILLIS} ms (or the deadline): long enough for the node to accept,
   * short enough that a node that is gone fails the application's connect promptly.
   */
  private SocketChannel connect(long deadline) throws IOException {
    long retryUntil = Math.min(deadline, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_RETRY_MILLIS));
    long pauseMillis = 1;
    while (true) {
      SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      try {
        // non-blocking: a full accept queue fails at once instead of blocking without a deadline
        ch.configureBlocking(false);
        if (ch.connect(UnixDomainSocketAddress.of(socketPath)) || finishWithin(ch, deadline)) {
          return ch;
        }
        throw new IOException("timed out connecting to the node");
      } catch (IOException e) {
        ch.close();
        if (System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(pauseMillis) - retryUntil > 0) {
          throw e;
        }
      }
      try {
        Thread.sleep(pauseMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while connecting to the node", e);
      }
      pauseMillis = Math.min(pauseMillis * 2, 32);
    }
  }

  /** A connect still in progress (Linux completes Unix socket connects at once; this is for others). */
  private static boolean finishWithin(SocketChannel ch, long deadline) throws IOException {
    try (Selector selector = Selector.open()) {
      SelectionKey key = ch.register(selector, 0);
      await(selector, key, SelectionKey.OP_CONNECT, deadline, "connecting to the node");
      key.cancel();
      selector.selectNow(); // deregister before the channel is used with another selector
      return ch.finishConnect();
    }
  }

  private static void await(Selector selector, SelectionKey key, int op, long deadline, String step)
      throws IOException {
    key.interestOps(op);
    while (true) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        throw new IOException("timed out " + step);
      }
      selector.selectedKeys().clear();
      if (selector.select(left) > 0 && (key.readyOps() & op) != 0) {
        return;
      }
    }
  }
}
