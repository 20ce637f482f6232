package io.boxer.netlab;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class AddressPlanTest {
  @Test
  void plan_matchesDocumentedAddresses() {
    assertThat(AddressPlan.seed().getHostAddress()).isEqualTo("198.18.0.2");
    assertThat(AddressPlan.vm(1).getHostAddress()).isEqualTo("198.18.0.11");
    assertThat(AddressPlan.vm(50).getHostAddress()).isEqualTo("198.18.0.60");
    assertThat(AddressPlan.natWan(1).getHostAddress()).isEqualTo("198.18.0.101");
    assertThat(AddressPlan.natWan(50).getHostAddress()).isEqualTo("198.18.0.150");
    assertThat(AddressPlan.natLan(3).getHostAddress()).isEqualTo("198.19.3.1");
    assertThat(AddressPlan.function(3).getHostAddress()).isEqualTo("198.19.3.2");
    assertThat(AddressPlan.cidr(AddressPlan.function(3))).isEqualTo("198.19.3.2/24");
  }

  @Test
  void plan_isUniqueAndInsideBenchmarkRange() {
    List<InetAddress> all = new ArrayList<>();
    all.add(AddressPlan.seed());
    for (int i = 1; i <= 50; i++) {
      all.add(AddressPlan.vm(i));
      all.add(AddressPlan.natWan(i));
      all.add(AddressPlan.natLan(i));
      all.add(AddressPlan.function(i));
    }
    assertThat(new HashSet<>(all)).hasSameSizeAs(all);
    for (InetAddress a : all) {
      byte[] b = a.getAddress();
      // 198.18.0.0/15 = first byte 198, second byte 18 or 19
      assertThat(b[0] & 0xff).isEqualTo(198);
      assertThat(b[1] & 0xfe).isEqualTo(18);
    }
  }

  @Test
  void index_outOfRange_isRejected() {
    assertThatThrownBy(() -> AddressPlan.vm(0)).hasMessage("vm index : 0 (expected: 1..50)");
    assertThatThrownBy(() -> AddressPlan.function(51))
        .hasMessage("function index : 51 (expected: 1..50)");
  }
}
