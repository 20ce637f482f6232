package io.boxer.node.priming;

import io.boxer.node.Endpoints;
import io.boxer.node.membership.Peer;
import io.boxer.proto.mesh.v1.PrimeRequest;
import io.boxer.proto.mesh.v1.PrimeResponse;
import io.boxer.proto.v1.PrimeResult;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers prime requests that arrive over the mesh for this host's application listeners: "refused" when
 * nothing listens on the port, otherwise primes the NAT and answers "primed". Thread-safe.
 */
public final class PrimeHandler {
  private static final Logger log = LoggerFactory.getLogger(PrimeHandler.class);
  private final ListenerProbe probe;
  private final NatPrimer primer;

  public PrimeHandler(ListenerProbe probe, NatPrimer primer) {
    this.probe = probe;
    this.primer = primer;
  }

  /**
   * Answers a prime request from member {@code from}. The client endpoint must be on {@code from}'s own
   * external address: a member may open this host's NAT for itself, never for a third party.
   */
  public PrimeResponse handle(Peer from, PrimeRequest request) {
    long fromPeerId = from.id();
    int port;
    InetSocketAddress client;
    try {
      port = Endpoints.port("prime_request.listen_port", request.getListenPort());
      client = Endpoints.fromProto(request.getClient());
      if (!client.getAddress().equals(from.externalIp())) {
        throw new IllegalArgumentException("prime_request.client : " + client.getAddress().getHostAddress()
            + " (expected: member " + fromPeerId + "'s external address " + from.externalIp().getHostAddress() + ")");
      }
    } catch (IllegalArgumentException e) {
      log.warn("Rejected malformed prime request. peerId={} reason={}", fromPeerId, e.getMessage());
      return failed("malformed prime request: " + e.getMessage());
    }
    try {
      if (!probe.isListening(port)) {
        log.debug("Refused prime: nothing listens. peerId={} port={}", fromPeerId, port);
        return PrimeResponse.newBuilder().setResult(PrimeResult.REFUSED).build();
      }
      primer.prime(port, client);
      log.debug("Primed NAT. peerId={} port={} addr={}", fromPeerId, port, client);
      return PrimeResponse.newBuilder().setResult(PrimeResult.PRIMED).build();
    } catch (IOException e) {
      log.warn("Prime failed. peerId={} port={} addr={} reason={}", fromPeerId, port, client, e.toString());
      return failed("priming port " + port + " failed: " + e.getMessage());
    }
  }

  /** A FAILED response with a reason. */
  public static PrimeResponse failed(String detail) {
    return PrimeResponse.newBuilder().setResult(PrimeResult.FAILED).setDetail(detail).build();
  }
}
