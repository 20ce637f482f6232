package io.boxer.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VirtualRangeTest {
  @Test
  void parse_readsTheBlock_andContainsOnlyItsAddresses() throws Exception {
    VirtualRange range = VirtualRange.parse("100.64.0.0/10");
    assertThat(range).isEqualTo(VirtualRange.DEFAULT);
    assertThat(range.toString()).isEqualTo("100.64.0.0/10");
    assertThat(range.contains(InetAddress.getByName("100.64.0.0"))).isTrue();
    assertThat(range.contains(InetAddress.getByName("100.127.255.255"))).isTrue();
    assertThat(range.contains(InetAddress.getByName("100.128.0.0"))).isFalse();
    assertThat(range.contains(InetAddress.getByName("100.63.255.255"))).isFalse();
    assertThat(range.contains(InetAddress.getByName("::1"))).isFalse();
    assertThat(range.usable()).isEqualTo((1L << 22) - 2);
  }

  @Test
  void usable_skipsTheNetworkAndBroadcastAddresses() throws Exception {
    VirtualRange range = VirtualRange.parse("198.19.254.0/30");
    assertThat(range.usable()).isEqualTo(2);
    assertThat(range.usable(0)).isEqualTo(InetAddress.getByName("198.19.254.1"));
    assertThat(range.usable(1)).isEqualTo(InetAddress.getByName("198.19.254.2"));
    assertThatThrownBy(() -> range.usable(2)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void parse_rejectsWhatIsNotABlock_sayingWhatItExpects() {
    assertThatThrownBy(() -> VirtualRange.parse("100.64.0.0"))
        .hasMessage("100.64.0.0 (expected: an IPv4 block a.b.c.d/n with n in 8..30, e.g. 100.64.0.0/10)");
    assertThatThrownBy(() -> VirtualRange.parse("fd00::/64")).hasMessageContaining("expected: an IPv4 block");
    assertThatThrownBy(() -> VirtualRange.parse("100.64.0.256/24")).hasMessageContaining("octets 0..255");
    assertThatThrownBy(() -> VirtualRange.parse("100.64.0.0/31")).hasMessageContaining("prefix length of 8..30");
    assertThatThrownBy(() -> VirtualRange.parse("0.0.0.0/0")).hasMessageContaining("prefix length of 8..30");
    assertThatThrownBy(() -> VirtualRange.parse("100.64.0.1/10"))
        .hasMessage("100.64.0.1/10 (expected: the block's first address, 100.64.0.0/10)");
    assertThatThrownBy(() -> VirtualRange.parse(null)).hasMessageContaining("expected: an IPv4 block");
  }

  @Test
  void assign_goesRoundTheBlock_andEndsWhenEveryAddressIsTaken() throws Exception {
    VirtualAddresses addresses = new VirtualAddresses(VirtualRange.parse("198.19.254.0/29"));
    Set<InetAddress> taken = new HashSet<>();
    for (int i = 1; i <= 6; i++) {
      InetAddress a = addresses.assign(taken).orElseThrow();
      assertThat(a).isEqualTo(InetAddress.getByName("198.19.254." + i));
      taken.add(a);
    }
    assertThat(addresses.assign(taken)).isEmpty();
    taken.remove(InetAddress.getByName("198.19.254.3"));
    assertThat(addresses.assign(taken)).contains(InetAddress.getByName("198.19.254.3"));
  }
}
