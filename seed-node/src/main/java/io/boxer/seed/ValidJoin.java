package io.boxer.seed;

import io.boxer.control.Protocol;
import io.boxer.control.Roles;
import io.boxer.control.tls.CertifiedIdentity;
import io.boxer.control.tls.JoinToken;
import io.boxer.proto.seed.v1.JoinRequest;
import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * A join request that passed every check, in the order a stranger meets them: protocol version, join key,
 * then everything else. Nothing about the cluster is sent before the join key has matched.
 *
 * @param control the member's external control endpoint, as observed
 * @param rejoinId 0 for a new member
 * @param relayOnly the member's NAT did not preserve its control port: it is reached only through the relay
 * @param probePort the port of the member's host to probe for RSTs ({@link RstProbe}); 0 when the member is
 *     behind a NAT (the seed observed none of its own addresses) or did not offer one
 * @param answersRst the probe found that the member's host answers stray SYNs with RST
 * @param certifiedAddress for a rejoin, the address its certificate names: the external ip it joined from, or
 *     the virtual address the seed gave it ({@link VirtualRange}); null for a new member
 */
record ValidJoin(InetSocketAddress control, PublicKey publicKey, String role, long rejoinId, boolean relayOnly,
    int probePort, boolean answersRst, InetAddress certifiedAddress) {
  static final int MAX_PUBLIC_KEY_BYTES = 1024;
  static final int MAX_LOCAL_ADDRESSES = 64;

  /** A join through a port-preserving NAT. */
  ValidJoin(InetSocketAddress control, PublicKey publicKey, String role, long rejoinId) {
    this(control, publicKey, role, rejoinId, false);
  }

  /** A join from behind a NAT, not probed. */
  ValidJoin(InetSocketAddress control, PublicKey publicKey, String role, long rejoinId, boolean relayOnly) {
    this(control, publicKey, role, rejoinId, relayOnly, 0, false,
        rejoinId == 0 ? null : control.getAddress());
  }

  /** This join with the probe's finding. */
  ValidJoin withAnswersRst(boolean answers) {
    return new ValidJoin(control, publicKey, role, rejoinId, relayOnly, probePort, answers, certifiedAddress);
  }

  /** The address the member asks to be known by: its certified one on a rejoin, else the one observed. */
  InetAddress address() {
    return certifiedAddress != null ? certifiedAddress : control.getAddress();
  }

  /**
   * @param observed the transport's remote address
   * @param clientCertificate the caller's TLS certificate, already verified against the cluster CA, or null
   * @param relay whether this seed relays: a node whose NAT does not preserve ports can then join, relay-only
   * @param virtual the block of virtual addresses this seed hands out, or null for none: a rejoining member
   *     whose certificate names one of them may rejoin from any external address
   * @throws StatusException with the status the seed answers (seed.proto documents each)
   */
  static ValidJoin check(JoinRequest request, InetSocketAddress observed, X509Certificate clientCertificate,
      JoinToken token, boolean relay, VirtualRange virtual) throws StatusException {
    if (request.getProtocolVersion() != Protocol.VERSION) {
      throw Status.FAILED_PRECONDITION.withDescription("protocol_version : " + request.getProtocolVersion()
          + " (expected: " + Protocol.VERSION + "; upgrade boxer on this node or the seed)").asException();
    }
    if (!token.matchesJoinKey(request.getJoinKey().toByteArray())) {
      throw Status.UNAUTHENTICATED.withDescription("wrong join token").asException();
    }
    if (observed == null) {
      throw Status.INTERNAL.withDescription("the transport gave no remote address").asException();
    }
    int controlPort = request.getControlPort();
    if (controlPort < 1 || controlPort > 65535) {
      throw Status.INVALID_ARGUMENT.withDescription("control_port : " + controlPort + " (expected: 1..65535)")
          .asException();
    }
    boolean relayOnly = observed.getPort() != controlPort;
    if (relayOnly && !relay) {
      // peers prime and dial toward the external port of the control port: it must be predictable, or relayed
      throw Status.FAILED_PRECONDITION.withDescription("control port " + controlPort + " was seen as port "
          + observed.getPort() + ": this node's NAT does not preserve ports, so it can only be reached through a"
          + " relay, and this seed runs without one").asException();
    }
    PublicKey publicKey = publicKey(request);
    String role = request.getRole().isEmpty() ? Roles.DEFAULT : request.getRole();
    if (!Roles.isValid(role)) {
      throw Status.INVALID_ARGUMENT.withDescription("role : '" + shorten(role)
          + "' (expected: 1..63 characters of a-z 0-9 . _ -)").asException();
    }
    long rejoinId = request.getRejoinId();
    InetAddress certified = rejoinId == 0 ? null
        : checkRejoin(rejoinId, observed, clientCertificate, publicKey, virtual);
    return new ValidJoin(observed, publicKey, role, rejoinId, relayOnly, probePort(request, observed), false,
        certified);
  }

  /** The port to probe: the node's, if the seed observed the node at one of its own addresses (no NAT between). */
  private static int probePort(JoinRequest request, InetSocketAddress observed) throws StatusException {
    int port = request.getProbePort();
    if (port > 65535) {
      throw Status.INVALID_ARGUMENT.withDescription("probe_port : " + port + " (expected: 0..65535)").asException();
    }
    if (request.getLocalAddressesCount() > MAX_LOCAL_ADDRESSES) {
      throw Status.INVALID_ARGUMENT.withDescription("local_addresses : " + request.getLocalAddressesCount()
          + " addresses (expected: at most " + MAX_LOCAL_ADDRESSES + ")").asException();
    }
    byte[] seen = observed.getAddress().getAddress();
    boolean publicHost = false;
    for (ByteString address : request.getLocalAddressesList()) {
      if (address.size() != 4 && address.size() != 16) {
        throw Status.INVALID_ARGUMENT.withDescription("local_addresses : an address of " + address.size()
            + " bytes (expected: 4 or 16)").asException();
      }
      publicHost |= Arrays.equals(address.toByteArray(), seen);
    }
    return publicHost ? port : 0;
  }

  private static PublicKey publicKey(JoinRequest request) throws StatusException {
    byte[] encoded = request.getPublicKey().toByteArray();
    if (encoded.length == 0 || encoded.length > MAX_PUBLIC_KEY_BYTES) {
      throw Status.INVALID_ARGUMENT.withDescription("publicHostkey : " + encoded.length
          + " bytes (expected: 1.." + MAX_PUBLIC_KEY_BYTES + ", an X.509 SubjectPublicKeyInfo)").asException();
    }
    try {
      PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(encoded));
      if (((ECPublicKey) key).getParams().getCurve().getField().getFieldSize() != 256) {
        throw new GeneralSecurityException("not P-256");
      }
      return key;
    } catch (GeneralSecurityException | ClassCastException e) {
      throw Status.INVALID_ARGUMENT.withDescription("publicHostkey : unparsable (expected: an EC P-256 key)")
          .asException();
    }
  }

  /** @return the address the certificate names */
  private static InetAddress checkRejoin(long id, InetSocketAddress observed, X509Certificate certificate,
      PublicKey publicKey, VirtualRange virtual) throws StatusException {
    if (certificate == null) {
      throw Status.UNAUTHENTICATED.withDescription("rejoin_id " + id
          + " needs the member certificate (expected: a TLS client certificate)").asException();
    }
    CertifiedIdentity identity;
    try {
      identity = CertifiedIdentity.of(certificate);
    } catch (CertificateException e) {
      throw Status.UNAUTHENTICATED.withDescription("client certificate : " + e.getMessage()).asException();
    }
    // a virtual address is not where the member is but what it is called: it keeps it from wherever it rejoins
    boolean where = identity.ip() != null
        && (identity.ip().equals(observed.getAddress()) || (virtual != null && virtual.contains(identity.ip())));
    if (identity.kind() != CertifiedIdentity.Kind.NODE || identity.nodeId() != id || !where
        || !certificate.getPublicKey().equals(publicKey)) {
      throw Status.UNAUTHENTICATED.withDescription("rejoin_id " + id + " from " + observed.getAddress().getHostAddress()
          + " (expected: the certificate's own id, ip and key; it names " + identity.uri() + " at "
          + (identity.ip() == null ? "none" : identity.ip().getHostAddress()) + ")").asException();
    }
    return identity.ip();
  }

  private static String shorten(String s) {
    return s.length() <= 70 ? s : s.substring(0, 70) + "...";
  }
}
