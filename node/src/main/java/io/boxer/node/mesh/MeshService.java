package io.boxer.node.mesh;

import io.boxer.node.RemoteAddressInterceptor;
import io.boxer.node.membership.Membership;
import io.boxer.node.membership.Peer;
import io.boxer.node.priming.PrimeHandler;
import io.boxer.proto.mesh.v1.Hello;
import io.boxer.proto.mesh.v1.MeshFrame;
import io.boxer.proto.mesh.v1.MeshGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts control links dialed by newer members. A link is accepted only if its hello names a known member
 * whose external ip is the address the connection really came from.
 */
public final class MeshService extends MeshGrpc.MeshImplBase {
  private static final Logger log = LoggerFactory.getLogger(MeshService.class);
  private final LongSupplier selfId;
  private final Membership membership;
  private final MeshLinks links;
  private final PrimeHandler primeHandler;

  public MeshService(LongSupplier selfId, Membership membership, MeshLinks links, PrimeHandler primeHandler) {
    this.selfId = selfId;
    this.membership = membership;
    this.links = links;
    this.primeHandler = primeHandler;
  }

  @Override
  public StreamObserver<MeshFrame> link(StreamObserver<MeshFrame> responses) {
    InetSocketAddress remote = RemoteAddressInterceptor.current();
    return new StreamObserver<>() {
      // gRPC delivers inbound messages serially: no locking needed for these two
      private MeshLink link; // set once the hello is accepted
      private boolean rejected; // the call is closed; ignore what the peer still sends

      @Override
      public void onNext(MeshFrame frame) {
        if (link != null) {
          link.onFrame(frame);
          return;
        }
        if (rejected) {
          return;
        }
        String reason = validateHello(frame, remote);
        Optional<Peer> peer = membership.get(frame.getHello().getNodeId());
        if (reason != null || peer.isEmpty()) {
          log.warn("Rejected control link. addr={} reason={}", remote, reason);
          rejected = true;
          responses.onError(Status.PERMISSION_DENIED.withDescription(reason).asRuntimeException());
          return;
        }
        link = new MeshLink(peer.get(), responses, primeHandler);
        synchronized (responses) {
          responses.onNext(MeshFrame.newBuilder()
              .setHello(Hello.newBuilder().setNodeId(selfId.getAsLong()))
              .build());
        }
        links.put(link);
        log.info("Accepted control link. peerId={} addr={}", link.peerId(), remote);
      }

      @Override
      public void onError(Throwable t) {
        closed();
      }

      @Override
      public void onCompleted() {
        closed();
        if (link != null) {
          link.completeOutbound();
        } else if (!rejected) {
          responses.onCompleted();
        }
      }

      private void closed() {
        if (link != null) {
          link.onClosed();
          links.remove(link);
          log.info("Control link closed. peerId={}", link.peerId());
        }
      }
    };
  }

  private String validateHello(MeshFrame frame, InetSocketAddress remote) {
    if (!frame.hasHello()) {
      return "first frame must be hello, got " + frame.getBodyCase();
    }
    long id = frame.getHello().getNodeId();
    Optional<Peer> peer = membership.get(id);
    if (peer.isEmpty()) {
      return "unknown member " + id;
    }
    if (remote == null || !peer.get().externalIp().equals(remote.getAddress())) {
      return "member " + id + " is at " + peer.get().externalIp().getHostAddress()
          + " but the link came from " + remote;
    }
    return null;
  }
}
