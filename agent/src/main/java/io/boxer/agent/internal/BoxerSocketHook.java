package io.boxer.agent.internal;

import io.boxer.agent.bootstrap.BoxerHooks;
import io.boxer.agent.bootstrap.SocketHook;
import io.boxer.proto.agent.v1.PrimeReply;
import io.boxer.proto.v1.PrimeResult;
import java.io.FileDescriptor;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.util.concurrent.TimeUnit;
import java.util.function.LongFunction;

/**
 * Boxer's {@link SocketHook}: primes connects to members, gives TCP binds SO_REUSEPORT. A non-blocking,
 * asynchronous or Netty epoll channel's connect to a member is primed on an agent thread
 * ({@link DeferredConnects}); every
 * other connect waits for its prime on the calling thread, which blocks in the connect anyway. When the node
 * answers USE_RELAY, the socket is connected to the node's relay endpoint instead ({@link RelayConnect}): on the
 * calling thread here, and the hook returns {@link BoxerHooks#DEFERRED_CONNECT} so that the JDK (or Netty)
 * treats the connect as in progress and finds it done at its next check. A primed connect whose caller waits, on a
 * port Boxer bound, is issued by Boxer too, and started again from a new port when its handshake stalls
 * ({@link StalledHandshakes}).
 *
 * <p>With the warm port pool ({@link WarmPorts}, docs/warm-connects.md), a connect of an unbound socket to a member
 * endpoint that has a primed port ready binds the socket to that port and connects at once, on every kind of
 * connect (blocking, non-blocking, asynchronous, Netty epoll), without a prime; without one, or when the bind
 * fails, the connect is primed as it would be without the pool, and a PRIMED answer gives the endpoint a pool.
 * Thread-safe; all state is in its collaborators.
 */
final class BoxerSocketHook implements SocketHook {

  /** Exchanges one prime request with the node. */
  @FunctionalInterface
  interface Primer {
    PrimeReply prime(int localPort, InetAddress remote, int port, int timeoutMillis) throws IOException;
  }

  /** The node answers a prime that ran out of time a moment before the agent's own clock says so. */
  private static final long DEADLINE_SLACK_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

  /** Initialized at the first connect or bind, not when premain makes the hook: InetAddress loads late. */
  private static final class Addresses {
    static final InetAddress ANY_V4 = address(new byte[4]);
    static final InetAddress ANY_V6 = address(new byte[16]);
    static final InetAddress LOOPBACK_V4 = address(new byte[] {127, 0, 0, 1});
    static final InetAddress LOOPBACK_V6 = address(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  }

  private final LongFunction<MemberSet> members;
  private final SocketOps ops;
  private final Primer primer;
  private final int primeTimeoutMillis;
  private final long firstViewWaitMillis;
  private final DeferredConnects deferred;
  private final WarmPorts warm;
  private final QuarantinedPorts quarantine;

  /** A hook without the warm port pool. */
  BoxerSocketHook(LongFunction<MemberSet> members, SocketOps ops, Primer primer, int primeTimeoutMillis,
      long firstViewWaitMillis, DeferredConnects deferred) {
    this(members, ops, primer, primeTimeoutMillis, firstViewWaitMillis, deferred, null);
  }

  /**
   * @param members the member view; called with the first-view wait, must return quickly and never null
   * @param deferred the non-blocking connects in flight, or null to prime every connect on its caller's thread
   * @param warm the warm port pool, or null when it is off
   */
  BoxerSocketHook(LongFunction<MemberSet> members, SocketOps ops, Primer primer, int primeTimeoutMillis,
      long firstViewWaitMillis, DeferredConnects deferred, WarmPorts warm) {
    this(members, ops, primer, primeTimeoutMillis, firstViewWaitMillis, deferred, warm, new QuarantinedPorts());
  }

  /** @param quarantine where the ports of connects ended mid-handshake are held ({@link StalledHandshakes}) */
  BoxerSocketHook(LongFunction<MemberSet> members, SocketOps ops, Primer primer, int primeTimeoutMillis,
      long firstViewWaitMillis, DeferredConnects deferred, WarmPorts warm, QuarantinedPorts quarantine) {
    this.quarantine = quarantine;
    this.warm = warm;
    this.members = members;
    this.ops = ops;
    this.primer = primer;
    this.primeTimeoutMillis = primeTimeoutMillis;
    this.firstViewWaitMillis = firstViewWaitMillis;
    this.deferred = deferred;
  }

  @Override
  public boolean interceptsConnect(InetAddress address) {
    MemberSet view = members.apply(firstViewWaitMillis);
    return view.contains(address) || view.isOwnNatAddress(address);
  }

  /**
   * A connect to another member is primed first. A connect to this node's own external address goes to
   * loopback instead: NATs rarely hairpin, and the application means this very host.
   */
  @Override
  public InetAddress beforeConnect(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port)
      throws IOException {
    return connect(family, fd, address, port, null, null, true);
  }

  /** As {@link #beforeConnect}, but the prime of a member runs on an agent thread: the caller goes on. */
  @Override
  public InetAddress beforeNonBlockingConnect(ProtocolFamily family, FileDescriptor fd, InetAddress address,
      int port, Object channel) throws IOException {
    return connect(family, fd, address, port, deferred != null && deferred.canDefer(channel, fd) ? channel : null,
        null, false);
  }

  /** As {@link #beforeConnect}, but a Netty epoll channel's prime runs on an agent thread: its event loop goes on. */
  @Override
  public InetAddress beforeNativeNonBlockingConnect(ProtocolFamily family, FileDescriptor fd, InetAddress address,
      int port, Object socket, Object channel) throws IOException {
    boolean defer = deferred != null && deferred.canDeferNative(channel, socket);
    return connect(family, fd, address, port, defer ? channel : null, defer ? socket : null, false);
  }

  @Override
  public int nativeFinishConnect(Object socket) throws IOException {
    return deferred == null ? DeferredConnects.CONTINUE : deferred.nativeFinishConnect(socket);
  }

  @Override
  public int pollConnect(FileDescriptor fd) throws IOException {
    return deferred == null ? DeferredConnects.CONTINUE : deferred.pollConnect(fd);
  }

  @Override
  public int interestOps(Object channel, int ops) {
    return deferred == null ? DeferredConnects.CONTINUE : deferred.interestOps(channel);
  }

  @Override
  public void beforeConnected(Object channel) throws IOException {
    if (deferred != null) {
      deferred.beforeConnected(channel);
    }
  }

  /**
   * @param channel the non-blocking channel whose prime is deferred, or null to prime now
   * @param nettySocket Netty's socket when {@code channel} is a Netty epoll channel, else null
   */
  private InetAddress connect(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port,
      Object channel, Object nettySocket, boolean callerWaits) throws IOException {
    int localPort;
    InetAddress any = null; // set when Boxer binds the socket itself: its port may then be changed
    try {
      if (!ops.isStream(fd)) {
        return address; // UDP: nothing to prime
      }
      MemberSet memberSet = members.apply(firstViewWaitMillis);
      if (memberSet.isOwnNatAddress(address)) {
        return address instanceof Inet6Address ? Addresses.LOOPBACK_V6 : Addresses.LOOPBACK_V4;
      }
      localPort = ops.localPort(fd);
      if (localPort == 0) {
        InetAddress wildcard = address instanceof Inet6Address ? Addresses.ANY_V6 : Addresses.ANY_V4;
        // a suspected member's connect asks the node, which fails it at once; a warm port would skip the node
        if (warm != null && !memberSet.isSuspected(address) && bindWarm(family, fd, wildcard, address, port)) {
          BoxerHooks.takeConnectDeadline(address, port); // nothing to wait for: the note ends with this connect
          return address; // primed already: the kernel connects now, on every kind of connect
        }
        ops.bind(family, fd, wildcard, 0);
        localPort = ops.localPort(fd);
        any = wildcard;
      }
    } catch (IOException | RuntimeException e) {
      throw PrimeReplies.failure(address, port, "could not bind the socket: " + e, e);
    }
    if (channel != null) {
      int boundPort = localPort;
      DeferredConnects.Prime prime = () -> prime(boundPort, address, port, 0);
      if (nettySocket != null) {
        deferred.startNative(channel, nettySocket, family, fd, address, port, prime);
      } else {
        deferred.start(channel, family, fd, address, port, prime);
      }
      return BoxerHooks.DEFERRED_CONNECT;
    }
    // a timed Socket.connect: the prime counts against the application's timeout, as the connect would
    long deadline = BoxerHooks.takeConnectDeadline(address, port);
    long primeStart = System.nanoTime();
    InetSocketAddress relay = prime(localPort, address, port, deadline);
    if (relay != null) {
      RelayConnect.connect(ops, family, fd, address, port, relay);
      return BoxerHooks.DEFERRED_CONNECT; // the kernel connect is issued: the caller's completion check finds it
    }
    Boolean blocking = any != null && callerWaits ? watchableMode(fd, deadline) : null;
    if (blocking == null) {
      return address; // the kernel connects as without Boxer: a port the application chose cannot change
    }
    StalledHandshakes.connect(ops, blocking, family, fd, any, address, port, localPort,
        System.nanoTime() - primeStart, deadline, newPort -> prime(newPort, address, port, deadline), quarantine);
    return BoxerHooks.DEFERRED_CONNECT; // connected, or in progress: the caller's completion check finds out
  }

  /**
   * Whether a waiting caller's connect on {@code fd} is in blocking mode, or null when its handshake cannot be
   * watched: where a connect cannot be aborted, and for a connect without a deadline on a non-blocking socket
   * (a virtual thread's, which parks while the kernel connects rather than pin its carrier to a wait here).
   */
  private Boolean watchableMode(FileDescriptor fd, long deadline) {
    if (!ops.canAbortConnect()) {
      return null;
    }
    if (deadline != 0) {
      return Boolean.FALSE; // the JDK makes a socket non-blocking for a timed connect
    }
    try {
      return ops.isBlocking(fd) ? Boolean.TRUE : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Binds {@code fd} to a port of the warm pool that {@code address:port}'s node primed already. False, with
   * {@code fd} still unbound, when none is ready or the bind fails (someone took the port between the reservation's
   * close and this bind): the connect then goes the cold way.
   */
  private boolean bindWarm(ProtocolFamily family, FileDescriptor fd, InetAddress any, InetAddress address, int port) {
    WarmPorts.Reservation taken = warm.take(address, port, System.nanoTime());
    if (taken == null) {
      return false;
    }
    taken.close(); // an unconnected socket's port is free at once, for the application's socket to bind
    try {
      ops.bind(family, fd, any, taken.port());
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Primes {@code address:port} for the socket bound to {@code localPort}; throws what the application sees.
   *
   * @return the node's relay endpoint to connect to instead, or null to connect as asked
   */
  private InetSocketAddress prime(int localPort, InetAddress address, int port, long deadline) throws IOException {
    int timeout = primeTimeoutMillis;
    if (deadline != 0) {
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (left <= 0) {
        throw new SocketTimeoutException("Connect timed out");
      }
      timeout = (int) Math.min(timeout, left);
    }
    PrimeReply reply;
    try {
      reply = primer.prime(localPort, address, port, timeout);
    } catch (IOException | RuntimeException e) {
      timedOut(deadline);
      String why = e.getMessage() != null ? e.getMessage() : e.toString();
      throw PrimeReplies.failure(address, port, "local node: " + why, e);
    }
    if (reply.getResult() == PrimeResult.FAILED) {
      timedOut(deadline);
    }
    InetSocketAddress relay = PrimeReplies.apply(reply, address, port);
    if (warm != null && reply.getResult() == PrimeResult.PRIMED) {
      warm.primed(address, port, System.nanoTime()); // a direct path to a listener: keep ports primed toward it
    }
    return relay;
  }

  /** A prime that failed once the application's connect deadline has (all but) passed is that timeout. */
  private static void timedOut(long deadline) throws SocketTimeoutException {
    if (deadline != 0 && System.nanoTime() >= deadline - DEADLINE_SLACK_NANOS) {
      throw new SocketTimeoutException("Connect timed out");
    }
  }

  /**
   * TCP sockets get SO_REUSEPORT (so that the node can prime from a listening port); a TCP bind to this node's own
   * external address (which no interface of a host behind a NAT has) binds the wildcard address instead. Binds to
   * the wildcard or loopback never wait for the first membership view.
   *
   * <p>A bind to a port that is in use fails as it would without Boxer ({@code BindException: Address already in
   * use}), although SO_REUSEPORT would let it share the port: before a bind to an explicit port, the kernel's
   * socket tables say whether a socket listens there ({@link PortsInUse}). Two binds of one port racing in the
   * same instant can both pass the check and share the port.
   */
  @Override
  public InetAddress beforeBind(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port)
      throws IOException {
    if (!ops.isStream(fd)) {
      return address;
    }
    InetAddress target = address.isAnyLocalAddress() || address.isLoopbackAddress()
        || !members.apply(firstViewWaitMillis).isOwnNatAddress(address)
        ? address : family == StandardProtocolFamily.INET6 ? Addresses.ANY_V6 : Addresses.ANY_V4;
    if (port != 0 && ops.portTaken(family, fd, target, port)) {
      throw new BindException("Address already in use");
    }
    ops.setReusePort(fd);
    return target;
  }

  private static InetAddress address(byte[] raw) {
    try {
      return InetAddress.getByAddress(raw);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
