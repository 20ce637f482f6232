package io.boxer.control;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.boxer.proto.v1.Endpoint;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class EndpointsTest {
  @Test
  void roundTrip_keepsAddressAndPort() {
    InetSocketAddress address = new InetSocketAddress("198.18.0.101", 4242);

    assertThat(Endpoints.fromProto(Endpoints.toProto(address))).isEqualTo(address);
  }

  @Test
  void fromProto_rejectsBadIpLength() {
    Endpoint bad = Endpoint.newBuilder().setIp(ByteString.copyFrom(new byte[] {1, 2, 3})).setPort(80).build();

    assertThatThrownBy(() -> Endpoints.fromProto(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("ip : 3 bytes (expected: 4 or 16)");
  }

  @Test
  void fromProto_rejectsPortZeroAndTooLarge() {
    Endpoint zero = Endpoints.toProto(new InetSocketAddress("198.18.0.2", 1)).toBuilder().setPort(0).build();
    Endpoint large = zero.toBuilder().setPort(70000).build();

    assertThatThrownBy(() -> Endpoints.fromProto(zero)).hasMessage("endpoint.port : 0 (expected: 1..65535)");
    assertThatThrownBy(() -> Endpoints.fromProto(large)).hasMessage("endpoint.port : 70000 (expected: 1..65535)");
  }

  @Test
  void toProto_rejectsUnresolved() {
    assertThatThrownBy(() -> Endpoints.toProto(InetSocketAddress.createUnresolved("seed", 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
