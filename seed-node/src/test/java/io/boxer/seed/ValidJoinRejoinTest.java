package io.boxer.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.boxer.control.Protocol;
import io.boxer.control.tls.ClusterCa;
import io.boxer.control.tls.JoinToken;
import io.boxer.control.tls.TlsIdentity;
import io.boxer.proto.seed.v1.JoinRequest;
import io.grpc.Status;
import io.grpc.StatusException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.cert.X509Certificate;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Whose rejoin the seed accepts: the certificate's own member, from its address, or with its virtual one. */
class ValidJoinRejoinTest {
  private static final JoinToken TOKEN = JoinToken.parse("boxer_valid-join-rejoin-test-0123456789");
  private static final ClusterCa CA = ClusterCa.fromToken(TOKEN);
  private static final VirtualRange RANGE = VirtualRange.parse("198.19.254.0/24");
  private static final InetSocketAddress FROM_NAT = new InetSocketAddress("198.18.0.101", 40001);
  private final TlsIdentity member = TlsIdentity.generate();

  private X509Certificate certificate(String ip) throws Exception {
    return CA.issueNode(7, InetAddress.getByName(ip), member.publicKey(), Duration.ofMinutes(5));
  }

  private JoinRequest rejoin() {
    return JoinRequest.newBuilder().setProtocolVersion(Protocol.VERSION).setControlPort(FROM_NAT.getPort())
        .setJoinKey(ByteString.copyFrom(TOKEN.joinKey())).setRejoinId(7)
        .setPublicKey(ByteString.copyFrom(member.publicKey().getEncoded())).build();
  }

  @Test
  void rejoin_fromTheCertifiedAddress_isAccepted() throws Exception {
    ValidJoin join = ValidJoin.check(rejoin(), FROM_NAT, certificate("198.18.0.101"), TOKEN, true, RANGE);
    assertThat(join.address()).isEqualTo(FROM_NAT.getAddress());
  }

  @Test
  void rejoin_certifiedForAVirtualAddress_isAcceptedFromTheNat_andKeepsIt() throws Exception {
    ValidJoin join = ValidJoin.check(rejoin(), FROM_NAT, certificate("198.19.254.9"), TOKEN, true, RANGE);
    assertThat(join.address()).isEqualTo(InetAddress.getByName("198.19.254.9"));
    assertThat(join.control()).isEqualTo(FROM_NAT); // the relay still binds its tickets to the NAT's address
  }

  @Test
  void rejoin_certifiedForAnotherRealAddress_orOutsideTheRange_isRefused() {
    for (VirtualRange range : new VirtualRange[] {RANGE, null}) {
      assertThatThrownBy(() -> ValidJoin.check(rejoin(), FROM_NAT,
          certificate(range == null ? "198.19.254.9" : "198.18.0.102"), TOKEN, true, range))
          .isInstanceOfSatisfying(StatusException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED))
          .hasMessageContaining("rejoin_id 7 from 198.18.0.101");
    }
  }
}
