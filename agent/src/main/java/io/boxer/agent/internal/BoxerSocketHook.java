package io.boxer.agent.internal;

import io.boxer.agent.bootstrap.SocketHook;
import io.boxer.proto.agent.v1.PrimeReply;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import java.net.UnknownHostException;
import java.util.function.LongFunction;

/**
 * Boxer's {@link SocketHook}: primes connects to members, gives TCP binds SO_REUSEPORT. Thread-safe; all state
 * is in its collaborators.
 */
final class BoxerSocketHook implements SocketHook {

  /** Exchanges one prime request with the node. */
  @FunctionalInterface
  interface Primer {
    PrimeReply prime(int localPort, InetAddress remote, int port, int timeoutMillis) throws IOException;
  }

  private static final InetAddress ANY_V4 = wildcard(new byte[4]);
  private static final InetAddress ANY_V6 = wildcard(new byte[16]);

  private final LongFunction<MemberSet> members;
  private final SocketOps ops;
  private final Primer primer;
  private final int primeTimeoutMillis;
  private final long firstViewWaitMillis;

  /**
   * @param members the member view; called with the first-view wait, must return quickly and never null
   */
  BoxerSocketHook(LongFunction<MemberSet> members, SocketOps ops, Primer primer, int primeTimeoutMillis,
      long firstViewWaitMillis) {
    this.members = members;
    this.ops = ops;
    this.primer = primer;
    this.primeTimeoutMillis = primeTimeoutMillis;
    this.firstViewWaitMillis = firstViewWaitMillis;
  }

  @Override
  public boolean interceptsConnect(InetAddress address) {
    return members.apply(firstViewWaitMillis).contains(address);
  }

  @Override
  public void beforeConnect(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port)
      throws IOException {
    int localPort;
    try {
      if (!ops.isStream(fd)) {
        return; // UDP: nothing to prime
      }
      localPort = ops.localPort(fd);
      if (localPort == 0) {
        ops.bind(family, fd, address instanceof Inet6Address ? ANY_V6 : ANY_V4, 0);
        localPort = ops.localPort(fd);
      }
    } catch (IOException | RuntimeException e) {
      throw PrimeReplies.failure(address, port, "could not bind the socket: " + e, e);
    }
    PrimeReply reply;
    try {
      reply = primer.prime(localPort, address, port, primeTimeoutMillis);
    } catch (IOException | RuntimeException e) {
      throw PrimeReplies.failure(address, port, "local node: " + (e.getMessage() != null ? e.getMessage() : e.toString()), e);
    }
    PrimeReplies.apply(reply, address, port);
  }

  @Override
  public void beforeBind(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port)
      throws IOException {
    if (ops.isStream(fd)) {
      ops.setReusePort(fd);
    }
  }

  private static InetAddress wildcard(byte[] zeros) {
    try {
      return InetAddress.getByAddress(zeros);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
