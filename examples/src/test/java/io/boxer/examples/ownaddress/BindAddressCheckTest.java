package io.boxer.examples.ownaddress;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** On this machine, without Boxer: the kernel's view decides. */
class BindAddressCheckTest {

  @Test
  void problem_loopbackAddress_none() throws Exception {
    assertThat(BindAddressCheck.problem(InetAddress.getByName("127.0.0.1"))).isNull();
  }

  @Test
  void problem_wildcard_none() throws Exception {
    assertThat(BindAddressCheck.problem(InetAddress.getByName("0.0.0.0"))).isNull();
  }

  @Test
  void problem_addressOfNoInterface_namesItAndListsTheInterfaces() throws Exception {
    // 198.18.99.7: benchmarking space, on no interface of a build machine (as a function's NAT address)
    assertThat(BindAddressCheck.problem(InetAddress.getByName("198.18.99.7")))
        .startsWith("198.18.99.7 is on no interface of this machine (").contains("lo: ").contains("127.0.0.1");
  }
}
