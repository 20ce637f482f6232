package io.boxer.node.membership;

import com.google.protobuf.ByteString;
import io.boxer.control.Protocol;
import io.boxer.control.tls.TlsIdentity;
import io.boxer.proto.seed.v1.JoinRequest;

/**
 * What a node shows the seed: the join key derived from the token, its public key (the seed certifies it),
 * its role and control port; for a rejoin also its old id (and, at the TLS layer, its certificate).
 *
 * @param joinKey the 32-byte proof of the token ({@link io.boxer.control.tls.JoinToken#joinKey()})
 */
public record JoinCredentials(byte[] joinKey, TlsIdentity identity, String role, int controlPort) {
  /** The join request; {@code rejoinId} 0 for a first join. */
  JoinRequest request(long rejoinId) {
    return JoinRequest.newBuilder()
        .setProtocolVersion(Protocol.VERSION)
        .setControlPort(controlPort)
        .setJoinKey(ByteString.copyFrom(joinKey))
        .setPublicKey(ByteString.copyFrom(identity.publicKey().getEncoded()))
        .setRole(role)
        .setRejoinId(rejoinId)
        .build();
  }

  @Override
  public String toString() {
    return "JoinCredentials[role=" + role + ", controlPort=" + controlPort + "]"; // never the key
  }
}
