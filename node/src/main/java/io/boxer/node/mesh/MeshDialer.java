package io.boxer.node.mesh;

import io.boxer.control.GrpcLifecycle;
import io.boxer.control.OutboundStream;
import io.boxer.control.tls.CertifiedIdentity;
import io.boxer.control.tls.ClusterTrust;
import io.boxer.control.tls.TlsContexts;
import io.boxer.control.tls.TlsIdentity;
import io.boxer.node.membership.Peer;
import io.boxer.proto.mesh.v1.Hello;
import io.boxer.proto.mesh.v1.MeshFrame;
import io.boxer.proto.mesh.v1.MeshGrpc;
import io.boxer.proto.v1.LinkPath;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dials control links to older members, from this node's control port (see {@link
 * LocalPortNioSocketChannel}), once they have primed their NAT toward it. Each dial verifies that the server
 * it reaches holds the member certificate of exactly the member it dials (id and ip), and presents this
 * node's own. Owns the channels it creates; does not own the event loop group.
 */
public final class MeshDialer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MeshDialer.class);
  private final EventLoopGroup eventLoop;
  private final int localPort;
  private final long selfId;
  private final MeshLinks links;
  private final LinkHandler handler;
  private final TlsIdentity identity;
  private final ClusterTrust trust;
  private final Map<Long, ManagedChannel> channels = new ConcurrentHashMap<>();

  public MeshDialer(EventLoopGroup eventLoop, int localPort, long selfId, MeshLinks links, LinkHandler handler,
      TlsIdentity identity, ClusterTrust trust) {
    this.eventLoop = eventLoop;
    this.localPort = localPort;
    this.selfId = selfId;
    this.links = links;
    this.handler = handler;
    this.identity = identity;
    this.trust = trust;
  }

  /**
   * Opens a link to {@code peer}. The future completes when the peer has answered our hello, or
   * exceptionally when the TCP connection fails within {@code connectTimeout}, or the TLS handshake or the
   * hello exchange fail or do not end within {@code helloTimeout} of the dial.
   */
  public CompletableFuture<MeshLink> dial(Peer peer, Duration connectTimeout, Duration helloTimeout) {
    return dial(peer, null, connectTimeout, helloTimeout);
  }

  /**
   * As {@link #dial(Peer, Duration, Duration)}; with {@code via} non-null, through the loopback endpoint of a
   * relayed connection to the peer instead (from any local port): the link's path is then
   * {@link LinkPath#RELAYED}. The TLS checks are the same either way.
   */
  public CompletableFuture<MeshLink> dial(Peer peer, InetSocketAddress via, Duration connectTimeout,
      Duration helloTimeout) {
    return via == null ? dial(peer, peer.control(), LinkPath.DIRECT, connectTimeout, helloTimeout)
        : dial(peer, via, LinkPath.RELAYED, connectTimeout, helloTimeout);
  }

  /**
   * As {@link #dial(Peer, Duration, Duration)}, to {@code port} on the peer's external address, where the peer is
   * connecting toward this node's control port at the same time (see {@link SimultaneousOpener}): the link's path
   * is {@link LinkPath#SIMULTANEOUS_OPEN}.
   */
  public CompletableFuture<MeshLink> dialSimultaneously(Peer peer, int port, Duration connectTimeout,
      Duration helloTimeout) {
    return dial(peer, new InetSocketAddress(peer.externalIp(), port), LinkPath.SIMULTANEOUS_OPEN, connectTimeout,
        helloTimeout);
  }

  private CompletableFuture<MeshLink> dial(Peer peer, InetSocketAddress target, LinkPath path,
      Duration connectTimeout, Duration helloTimeout) {
    SslContext tls;
    try {
      tls = TlsContexts.client(identity, trust.trustManager(server -> expect(peer, server)));
    } catch (SSLException e) {
      return CompletableFuture.failedFuture(e);
    }
    NettyChannelBuilder builder = GrpcLifecycle.withKeepalive(NettyChannelBuilder.forAddress(target))
        .eventLoopGroup(eventLoop);
    if (path == LinkPath.RELAYED) {
      builder.channelType(NioSocketChannel.class);
    } else {
      builder.channelFactory(() -> new LocalPortNioSocketChannel(localPort));
    }
    ManagedChannel channel = builder
        .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) connectTimeout.toMillis())
        // closing sends RST, leaving no TIME_WAIT: every link of this pair uses the same 4-tuple
        .withOption(ChannelOption.SO_LINGER, 0)
        .sslContext(tls)
        .directExecutor() // link handlers never block: no hop to an executor thread
        .build();
    // a previous channel was closed when its link ended; if one is left, close it now (a dial that finds its
    // socket still there fails with EADDRNOTAVAIL and the repair tick tries again)
    ManagedChannel previous = channels.put(peer.id(), channel);
    if (previous != null) {
      previous.shutdownNow();
    }
    CompletableFuture<MeshLink> result = new CompletableFuture<>();
    AtomicReference<OutboundStream<MeshFrame>> out = new AtomicReference<>();
    AtomicReference<MeshLink> link = new AtomicReference<>();
    MeshGrpc.newStub(channel).link(new ClientResponseObserver<MeshFrame, MeshFrame>() {
      @Override
      public void beforeStart(ClientCallStreamObserver<MeshFrame> requests) {
        out.set(MeshLink.sender(requests, () -> {
          MeshLink up = link.get();
          if (up != null) {
            up.abort(Status.RESOURCE_EXHAUSTED);
          }
        }));
      }

      @Override
      public void onNext(MeshFrame frame) {
        MeshLink up = link.get();
        if (up != null) {
          up.onFrame(frame);
        } else if (frame.hasHello() && frame.getHello().getNodeId() == peer.id()) {
          MeshLink fresh = new MeshLink(peer, out.get(), handler, path);
          link.set(fresh);
          links.put(fresh);
          result.complete(fresh);
          log.info("Opened control link. peerId={} addr={} path={}", peer.id(), peer.control(), path);
        } else {
          result.completeExceptionally(new IllegalStateException("member " + peer.id()
              + " answered hello with " + frame.getBodyCase() + " " + frame.getHello().getNodeId()));
          out.get().fail(Status.PERMISSION_DENIED.withDescription("unexpected hello"));
        }
      }

      @Override
      public void onError(Throwable t) {
        ended(t);
      }

      @Override
      public void onCompleted() {
        ended(new IllegalStateException("member " + peer.id() + " closed the link"));
      }

      private void ended(Throwable t) {
        MeshLink up = link.get();
        if (up == null) {
          result.completeExceptionally(t);
        } else if (up.isOpen()) {
          up.onClosed();
          log.info("Control link closed. peerId={} reason={}", peer.id(), t.getMessage());
        }
        // the connection goes with its link, at once: the pair's next link dials from the same port
        if (channels.remove(peer.id(), channel)) {
          channel.shutdownNow();
        }
      }
    });
    out.get().send(MeshFrame.newBuilder().setHello(Hello.newBuilder().setNodeId(selfId)).build());
    // a dial that did not end with a link (error, timeout, wrong hello) leaves no channel behind
    return result.orTimeout(helloTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((up, error) -> {
      if (error != null && channels.remove(peer.id(), channel)) {
        channel.shutdownNow();
      }
    });
  }

  private static void expect(Peer peer, CertifiedIdentity server) throws CertificateException {
    if (server.kind() != CertifiedIdentity.Kind.NODE || server.nodeId() != peer.id()
        || !server.ip().equals(peer.externalIp())) {
      throw new CertificateException("dialed member " + peer.id() + " at " + peer.externalIp().getHostAddress()
          + " but its certificate names " + server.uri()
          + (server.ip() == null ? "" : " at " + server.ip().getHostAddress()));
    }
  }

  /** Closes the channel to a peer that left, at once. */
  public void forget(long peerId) {
    ManagedChannel channel = channels.remove(peerId);
    if (channel != null) {
      channel.shutdownNow();
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (ManagedChannel channel : channels.values()) {
      GrpcLifecycle.shutdown(channel);
    }
    channels.clear();
  }
}
