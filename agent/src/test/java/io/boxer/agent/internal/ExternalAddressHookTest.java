package io.boxer.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The hook on this machine's real interface objects (no agent here: the JDK's lookups are the kernel's). The
 * "default route" is {@code lo}, the one interface every machine has.
 */
class ExternalAddressHookTest {

  private static final InetAddress EXTERNAL = address("198.18.99.7");

  private final ExternalAddressHook hook = hook(EXTERNAL, "lo");

  @Test
  void allInterfaces_addsTheExternalAddressLast_toTheDefaultRoutesInterfaceOnly() throws Exception {
    NetworkInterface[] all = kernelInterfaces();

    NetworkInterface[] shown = hook.allInterfaces(all);

    for (NetworkInterface ni : shown) {
      List<InetAddress> addresses = Collections.list(ni.getInetAddresses());
      if (ni.getName().equals("lo")) {
        assertThat(addresses).endsWith(EXTERNAL).contains(address("127.0.0.1"));
        InterfaceAddress binding = ni.getInterfaceAddresses().get(ni.getInterfaceAddresses().size() - 1);
        assertThat(binding.getAddress()).isEqualTo(EXTERNAL);
        assertThat(binding.getNetworkPrefixLength()).isEqualTo((short) 32);
        assertThat(binding.getBroadcast()).isNull();
      } else {
        assertThat(addresses).doesNotContain(EXTERNAL);
      }
    }
  }

  @Test
  void allInterfaces_twice_addsItOnce() throws Exception {
    NetworkInterface[] all = kernelInterfaces();
    hook.allInterfaces(hook.allInterfaces(all));
    NetworkInterface lo = List.of(all).stream().filter(n -> n.getName().equals("lo")).findFirst().orElseThrow();
    assertThat(Collections.list(lo.getInetAddresses())).containsOnlyOnce(EXTERNAL);
    assertThat(lo.getInterfaceAddresses()).filteredOn(b -> b.getAddress().equals(EXTERNAL)).hasSize(1);
  }

  @Test
  void noExternalAddress_everythingPassesThroughUnchanged() throws Exception {
    ExternalAddressHook none = hook(null, "lo");
    NetworkInterface[] all = kernelInterfaces();

    none.allInterfaces(all);

    assertThat(all).allSatisfy(ni -> assertThat(Collections.list(ni.getInetAddresses())).doesNotContain(EXTERNAL));
    assertThat(none.interfaceWith(EXTERNAL, null)).isNull();
    assertThat(none.isBound(EXTERNAL, false)).isFalse();
    InetAddress localHost = InetAddress.getLocalHost();
    assertThat(none.localHost(localHost)).isSameAs(localHost);
  }

  @Test
  void interfaceWith_theExternalAddress_isTheCarrierWithIt_otherUnknownAddressesStayUnknown() throws Exception {
    NetworkInterface carrier = hook.interfaceWith(EXTERNAL, null);

    assertThat(carrier.getName()).isEqualTo("lo");
    assertThat(Collections.list(carrier.getInetAddresses())).contains(EXTERNAL);
    assertThat(carrier).isEqualTo(hook.oneInterface(NetworkInterface.getByName("lo")));
    assertThat(hook.interfaceWith(address("198.18.99.8"), null)).isNull();
  }

  @Test
  void oneInterface_notTheCarrier_unchanged() throws Exception {
    ExternalAddressHook routedElsewhere = hook(EXTERNAL, "no-such-interface");
    // no route: the first up, non-loopback interface carries it, so lo never does
    NetworkInterface lo = routedElsewhere.oneInterface(NetworkInterface.getByName("lo"));
    assertThat(Collections.list(lo.getInetAddresses())).doesNotContain(EXTERNAL);
  }

  @Test
  void isBound_theExternalAddress_true_othersAsTheKernelSays() {
    assertThat(hook.isBound(EXTERNAL, false)).isTrue();
    assertThat(hook.isBound(address("198.18.99.8"), false)).isFalse();
    assertThat(hook.isBound(address("127.0.0.1"), true)).isTrue();
  }

  @Test
  void localHost_isTheExternalAddress_underTheHostsName() throws Exception {
    InetAddress real = InetAddress.getLocalHost();

    InetAddress shown = hook.localHost(real);

    assertThat(shown).isEqualTo(EXTERNAL);
    assertThat(shown.getHostName()).isEqualTo(real.getHostName());
  }

  private static ExternalAddressHook hook(InetAddress external, String routed) {
    try {
      return new ExternalAddressHook(() -> external, () -> routed, InterfaceFields.create());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  private static NetworkInterface[] kernelInterfaces() throws Exception {
    return Collections.list(NetworkInterface.getNetworkInterfaces()).toArray(new NetworkInterface[0]);
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
