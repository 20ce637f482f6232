package io.boxer.node.mesh;

import io.boxer.node.GrpcLifecycle;
import io.boxer.node.membership.Peer;
import io.boxer.node.priming.PrimeHandler;
import io.boxer.proto.mesh.v1.Hello;
import io.boxer.proto.mesh.v1.MeshFrame;
import io.boxer.proto.mesh.v1.MeshGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dials control links to older members, from this node's control port (see {@link
 * LocalPortNioSocketChannel}), once they have primed their NAT toward it. Owns the channels it creates;
 * does not own the event loop group.
 */
public final class MeshDialer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MeshDialer.class);
  private final EventLoopGroup eventLoop;
  private final int localPort;
  private final long selfId;
  private final MeshLinks links;
  private final PrimeHandler primeHandler;
  private final Map<Long, ManagedChannel> channels = new ConcurrentHashMap<>();

  public MeshDialer(EventLoopGroup eventLoop, int localPort, long selfId, MeshLinks links, PrimeHandler primeHandler) {
    this.eventLoop = eventLoop;
    this.localPort = localPort;
    this.selfId = selfId;
    this.links = links;
    this.primeHandler = primeHandler;
  }

  /**
   * Opens a link to {@code peer}. The future completes when the peer has answered our hello, or
   * exceptionally when the connection or the hello exchange fails within {@code timeout}.
   */
  public CompletableFuture<MeshLink> dial(Peer peer, Duration timeout) {
    ManagedChannel channel = GrpcLifecycle.withKeepalive(NettyChannelBuilder.forAddress(peer.control()))
        .eventLoopGroup(eventLoop)
        .channelFactory(() -> new LocalPortNioSocketChannel(localPort))
        .withOption(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) timeout.toMillis())
        .usePlaintext()
        .directExecutor() // link handlers never block: no hop to an executor thread
        .build();
    ManagedChannel previous = channels.put(peer.id(), channel);
    if (previous != null) {
      previous.shutdownNow();
    }
    CompletableFuture<MeshLink> result = new CompletableFuture<>();
    AtomicReference<StreamObserver<MeshFrame>> requests = new AtomicReference<>();
    AtomicReference<MeshLink> link = new AtomicReference<>();
    StreamObserver<MeshFrame> outbound = MeshGrpc.newStub(channel).link(new StreamObserver<>() {
      @Override
      public void onNext(MeshFrame frame) {
        MeshLink up = link.get();
        if (up != null) {
          up.onFrame(frame);
        } else if (frame.hasHello() && frame.getHello().getNodeId() == peer.id()) {
          MeshLink fresh = new MeshLink(peer, requests.get(), primeHandler);
          link.set(fresh);
          links.put(fresh);
          result.complete(fresh);
          log.info("Opened control link. peerId={} addr={}", peer.id(), peer.control());
        } else {
          result.completeExceptionally(new IllegalStateException("member " + peer.id()
              + " answered hello with " + frame.getBodyCase() + " " + frame.getHello().getNodeId()));
          requests.get().onError(Status.PERMISSION_DENIED.withDescription("unexpected hello").asRuntimeException());
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
        } else {
          up.onClosed();
          links.remove(up);
          log.info("Control link closed. peerId={} reason={}", peer.id(), t.getMessage());
        }
      }
    });
    requests.set(outbound);
    synchronized (outbound) {
      outbound.onNext(MeshFrame.newBuilder().setHello(Hello.newBuilder().setNodeId(selfId)).build());
    }
    // a dial that did not end with a link (error, timeout, wrong hello) leaves no channel behind
    return result.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((up, error) -> {
      if (error != null && channels.remove(peer.id(), channel)) {
        channel.shutdownNow();
      }
    });
  }

  /** Shuts down the channel to a peer that left. */
  public void forget(long peerId) {
    ManagedChannel channel = channels.remove(peerId);
    if (channel != null) {
      channel.shutdown();
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
