package io.boxer.node.mesh;

import io.boxer.control.CallerInterceptor;
import io.boxer.control.OutboundStream;
import io.boxer.control.RateLimitedLog;
import io.boxer.control.ServerLimits;
import io.boxer.control.tls.CertifiedIdentity;
import io.boxer.node.membership.Membership;
import io.boxer.node.membership.Peer;
import io.boxer.proto.mesh.v1.Hello;
import io.boxer.proto.mesh.v1.MeshFrame;
import io.boxer.proto.v1.LinkPath;
import io.boxer.proto.mesh.v1.MeshGrpc;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Accepts control links dialed by newer members. The TLS layer has already verified that the dialer holds a
 * member certificate of this cluster; a link is accepted only if that certificate's id is the id the hello
 * names, a current member, whose external ip is the certificate's ip and the address the connection really
 * came from. A dialer that sends no hello within {@link ServerLimits#FIRST_MESSAGE} is cut off. Needs
 * {@link CallerInterceptor} in front.
 */
public final class MeshService extends MeshGrpc.MeshImplBase {
  private static final Logger log = LoggerFactory.getLogger(MeshService.class);
  private static final RateLimitedLog rejected = new RateLimitedLog(log, 10, 10, TimeUnit.SECONDS);
  private final LongSupplier selfId;
  private final Membership membership;
  private final MeshLinks links;
  private final LinkHandler handler;
  private final ScheduledExecutorService timers;
  private final SplicedFrom splicedFrom;

  /**
   * Tells which loopback connections to this node's control port are this node's own splices carrying a member's
   * link: the local end of a relayed session, or of a simultaneous open (see {@link SimultaneousOpener}).
   */
  @FunctionalInterface
  public interface SplicedFrom {
    /** The path of the link member {@code peerId} dials through the connection from {@code remote}, or null. */
    LinkPath pathOf(InetSocketAddress remote, long peerId);
  }

  /** A service that accepts direct links only. */
  public MeshService(LongSupplier selfId, Membership membership, MeshLinks links, LinkHandler handler,
      ScheduledExecutorService timers) {
    this(selfId, membership, links, handler, timers, (remote, peerId) -> null);
  }

  /**
   * @param timers runs the first-message deadlines; not owned
   * @param splicedFrom which loopback connections carry a member's link spliced by this node
   */
  public MeshService(LongSupplier selfId, Membership membership, MeshLinks links, LinkHandler handler,
      ScheduledExecutorService timers, SplicedFrom splicedFrom) {
    this.splicedFrom = splicedFrom;
    this.selfId = selfId;
    this.membership = membership;
    this.links = links;
    this.handler = handler;
    this.timers = timers;
  }

  @Override
  public StreamObserver<MeshFrame> link(StreamObserver<MeshFrame> responses) {
    InetSocketAddress remote = CallerInterceptor.address();
    X509Certificate certificate = CallerInterceptor.certificate();
    ServerCallStreamObserver<MeshFrame> call = (ServerCallStreamObserver<MeshFrame>) responses;
    return new StreamObserver<>() {
      // gRPC delivers inbound messages serially: no locking needed for these
      private MeshLink link; // set once the hello is accepted
      private final OutboundStream<MeshFrame> out = MeshLink.sender(call, () -> {
        MeshLink l = link;
        if (l != null) {
          l.abort(Status.RESOURCE_EXHAUSTED);
        }
      });
      private final ScheduledFuture<?> helloDeadline = timers.schedule(
          () -> {
            if (link == null) {
              out.fail(Status.DEADLINE_EXCEEDED.withDescription("no hello within "
                  + ServerLimits.FIRST_MESSAGE.toSeconds() + " s"));
            }
          }, ServerLimits.FIRST_MESSAGE.toMillis(), TimeUnit.MILLISECONDS);

      {
        call.setOnCancelHandler(this::closed);
        // a stream this server ended (an exception in onNext, a status sent) completes without a cancel
        call.setOnCloseHandler(this::closed);
      }

      @Override
      public void onNext(MeshFrame frame) {
        if (link != null) {
          link.onFrame(frame);
          return;
        }
        if (out.ended()) {
          return; // rejected; ignore what the peer still sends
        }
        helloDeadline.cancel(false);
        Optional<Peer> peer = membership.get(frame.getHello().getNodeId());
        LinkPath spliced = frame.hasHello() ? splicedFrom.pathOf(remote, frame.getHello().getNodeId()) : null;
        String reason = validateHello(frame, peer, remote, certificate, spliced != null);
        if (reason != null) {
          rejected.warn("Rejected control link. addr={} reason={}", remote, reason);
          out.fail(Status.PERMISSION_DENIED.withDescription(reason));
          return;
        }
        link = new MeshLink(peer.get(), out, handler, spliced != null ? spliced : LinkPath.DIRECT);
        // known before the dialer hears our hello: its first request may ask this node about the link at once
        links.put(link);
        out.send(MeshFrame.newBuilder().setHello(Hello.newBuilder().setNodeId(selfId.getAsLong())).build());
        log.info("Accepted control link. peerId={} addr={} path={}", link.peerId(), remote, link.path());
      }

      @Override
      public void onError(Throwable t) {
        closed();
      }

      @Override
      public void onCompleted() {
        closed();
        out.complete();
      }

      private void closed() {
        helloDeadline.cancel(false);
        MeshLink l = link;
        if (l != null && l.isOpen()) {
          l.onClosed();
          log.info("Control link closed. peerId={}", l.peerId());
        }
      }
    };
  }

  /** @param spliced the connection is this node's own splice of a connection that member asked for */
  private static String validateHello(MeshFrame frame, Optional<Peer> peer, InetSocketAddress remote,
      X509Certificate certificate, boolean spliced) {
    if (!frame.hasHello()) {
      return "first frame must be hello, got " + frame.getBodyCase();
    }
    long id = frame.getHello().getNodeId();
    if (peer.isEmpty()) {
      return "unknown member " + id;
    }
    CertifiedIdentity identity;
    try {
      if (certificate == null) {
        return "no client certificate";
      }
      identity = CertifiedIdentity.of(certificate);
    } catch (CertificateException e) {
      return "client certificate: " + e.getMessage();
    }
    if (identity.kind() != CertifiedIdentity.Kind.NODE || identity.nodeId() != id) {
      return "hello names member " + id + " but the certificate names " + identity.uri();
    }
    if (spliced) {
      // through a splice the connection comes from this host; the certificate still has to name the member
      return identity.ip().equals(peer.get().externalIp()) ? null : "member " + id + " is at "
          + peer.get().externalIp().getHostAddress() + " but its certificate names " + identity.ip().getHostAddress();
    }
    if (remote == null || !peer.get().externalIp().equals(remote.getAddress())
        || !identity.ip().equals(remote.getAddress())) {
      return "member " + id + " is at " + peer.get().externalIp().getHostAddress() + " (certificate: "
          + identity.ip().getHostAddress() + ") but the link came from " + remote;
    }
    return null;
  }
}
