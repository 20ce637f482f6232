package io.boxer.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.boxer.control.Protocol;
import io.boxer.control.tls.JoinToken;
import io.boxer.proto.seed.v1.JoinRequest;
import io.grpc.Status;
import io.grpc.StatusException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

/** Which joins the seed probes for RSTs: only a node it observes at one of the node's own addresses. */
class ValidJoinProbeTest {
  private static final JoinToken TOKEN = JoinToken.parse("boxer_valid-join-probe-test-0123456789");
  private static final InetSocketAddress OBSERVED = new InetSocketAddress("198.18.0.11", 40611);

  @Test
  void probePort_nodeSeenAtItsOwnAddress_isProbed() throws Exception {
    ValidJoin join = check(request("198.19.9.9", "198.18.0.11").setProbePort(41000));
    assertThat(join.probePort()).isEqualTo(41000);
    assertThat(join.answersRst()).isFalse(); // until the probe says so
    assertThat(join.withAnswersRst(true).answersRst()).isTrue();
  }

  @Test
  void probePort_nodeBehindANat_isNeverProbed() throws Exception {
    // the seed sees the NAT's address, which is none of the node's own
    assertThat(check(request("198.19.1.2").setProbePort(41000)).probePort()).isZero();
    assertThat(check(request().setProbePort(41000)).probePort()).isZero();
  }

  @Test
  void probePort_outOfRange_isInvalidArgument() {
    assertThatThrownBy(() -> check(request("198.18.0.11").setProbePort(65536)))
        .isInstanceOfSatisfying(StatusException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
        .hasMessageContaining("probe_port : 65536 (expected: 0..65535)");
  }

  @Test
  void localAddresses_malformedOrTooMany_areInvalidArgument() throws Exception {
    assertThatThrownBy(() -> check(request().addLocalAddresses(ByteString.copyFrom(new byte[5]))))
        .hasMessageContaining("local_addresses : an address of 5 bytes (expected: 4 or 16)");
    JoinRequest.Builder many = request();
    for (int i = 0; i <= ValidJoin.MAX_LOCAL_ADDRESSES; i++) {
      many.addLocalAddresses(ByteString.copyFrom(new byte[] {10, 0, 0, (byte) i}));
    }
    assertThatThrownBy(() -> check(many))
        .hasMessageContaining("local_addresses : 65 addresses (expected: at most 64)");
  }

  private static ValidJoin check(JoinRequest.Builder request) throws StatusException {
    return ValidJoin.check(request.build(), OBSERVED, null, TOKEN, true, null);
  }

  private static JoinRequest.Builder request(String... localAddresses) throws Exception {
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    JoinRequest.Builder b = JoinRequest.newBuilder()
        .setProtocolVersion(Protocol.VERSION)
        .setControlPort(OBSERVED.getPort())
        .setJoinKey(ByteString.copyFrom(TOKEN.joinKey()))
        .setPublicKey(ByteString.copyFrom(ec.generateKeyPair().getPublic().getEncoded()));
    for (String a : localAddresses) {
      b.addLocalAddresses(ByteString.copyFrom(InetAddress.getByName(a).getAddress()));
    }
    return b;
  }
}
