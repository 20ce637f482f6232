package io.boxer.node.membership;

import com.google.protobuf.ByteString;
import io.boxer.control.Protocol;
import io.boxer.control.tls.TlsIdentity;
import io.boxer.proto.seed.v1.JoinRequest;
import java.net.InetAddress;
import java.util.List;

/**
 * What a node shows the seed: the join key derived from the token, its public key (the seed certifies it),
 * its role and control port; for a rejoin also its old id (and, at the TLS layer, its certificate); and what the
 * seed may probe to learn whether this host answers stray SYNs with RST.
 *
 * @param joinKey the 32-byte proof of the token ({@link io.boxer.control.tls.JoinToken#joinKey()})
 * @param localAddresses this host's interface addresses ({@link RstProbeOffer#addresses()})
 * @param probePort a port held bound without listening ({@link RstProbeOffer#port()}); 0: no probe
 */
public record JoinCredentials(byte[] joinKey, TlsIdentity identity, String role, int controlPort,
    List<InetAddress> localAddresses, int probePort) {
  /** Credentials that offer no RST probe. */
  public JoinCredentials(byte[] joinKey, TlsIdentity identity, String role, int controlPort) {
    this(joinKey, identity, role, controlPort, List.of(), 0);
  }

  /** Copies the address list. */
  public JoinCredentials {
    localAddresses = List.copyOf(localAddresses);
  }

  /** The join request; {@code rejoinId} 0 for a first join. */
  JoinRequest request(long rejoinId) {
    return JoinRequest.newBuilder()
        .setProtocolVersion(Protocol.VERSION)
        .setControlPort(controlPort)
        .setJoinKey(ByteString.copyFrom(joinKey))
        .setPublicKey(ByteString.copyFrom(identity.publicKey().getEncoded()))
        .setRole(role)
        .setRejoinId(rejoinId)
        .addAllLocalAddresses(localAddresses.stream().map(a -> ByteString.copyFrom(a.getAddress())).toList())
        .setProbePort(probePort)
        .build();
  }

  @Override
  public String toString() {
    return "JoinCredentials[role=" + role + ", controlPort=" + controlPort + "]"; // never the key
  }
}
