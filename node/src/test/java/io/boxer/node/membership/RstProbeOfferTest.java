package io.boxer.node.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.control.tls.TlsIdentity;
import io.boxer.proto.seed.v1.JoinRequest;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class RstProbeOfferTest {
  @Test
  void port_isHeldBoundWithoutListener_soASynToItIsRefused() throws Exception {
    try (RstProbeOffer offer = RstProbeOffer.open(); Socket probe = new Socket()) {
      assertThat(offer.port()).isBetween(1, 65535);
      assertThatThrownBy(() -> probe.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), offer.port()), 1000))
          .isInstanceOf(ConnectException.class).hasMessageContaining("refused");
      // held: nobody else binds it meanwhile
      try (Socket other = new Socket()) {
        assertThatThrownBy(() -> other.bind(new InetSocketAddress(offer.port()))).hasMessageContaining("in use");
      }
    }
  }

  @Test
  void addresses_leaveOutLoopbackAndLinkLocal() throws Exception {
    try (RstProbeOffer offer = RstProbeOffer.open()) {
      assertThat(offer.addresses()).hasSizeLessThanOrEqualTo(RstProbeOffer.MAX_ADDRESSES)
          .noneMatch(InetAddress::isLoopbackAddress).noneMatch(InetAddress::isLinkLocalAddress);
    }
  }

  @Test
  void joinRequest_carriesTheOffer() throws Exception {
    JoinCredentials credentials = new JoinCredentials(new byte[32], TlsIdentity.generate(), "member", 40000,
        java.util.List.of(InetAddress.getByName("198.18.0.11")), 41000);
    JoinRequest request = credentials.request(0);
    assertThat(request.getProbePort()).isEqualTo(41000);
    assertThat(request.getLocalAddressesList()).singleElement()
        .satisfies(a -> assertThat(a.toByteArray()).containsExactly(198, 18, 0, 11));
    assertThat(new JoinCredentials(new byte[32], TlsIdentity.generate(), "member", 40000).request(0).getProbePort())
        .isZero();
  }
}
