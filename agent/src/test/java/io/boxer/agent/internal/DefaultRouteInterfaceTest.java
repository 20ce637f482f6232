package io.boxer.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DefaultRouteInterfaceTest {

  private static final String HEADER =
      "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT\n";

  @Test
  void in_defaultRouteAfterOthers_itsInterface() {
    String table = HEADER
        + "eth1\t0012C6C6\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n"
        + "eth0\t00000000\t0100A8C0\t0003\t0\t0\t100\t00000000\t0\t0\t0\n";
    assertThat(DefaultRouteInterface.in(table)).isEqualTo("eth0");
  }

  @Test
  void in_noDefaultRoute_null() {
    String table = HEADER + "eth1\t0012C6C6\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0\n";
    assertThat(DefaultRouteInterface.in(table)).isNull();
  }

  @Test
  void in_defaultRouteNotUp_skipped() {
    String table = HEADER
        + "eth9\t00000000\t0100A8C0\t0002\t0\t0\t0\t00000000\t0\t0\t0\n"
        + "eth0\t00000000\t0100A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0\n";
    assertThat(DefaultRouteInterface.in(table)).isEqualTo("eth0");
  }

  @Test
  void in_garbage_null() {
    assertThat(DefaultRouteInterface.in("")).isNull();
    assertThat(DefaultRouteInterface.in(HEADER + "eth0 not a route at all x y z w\n")).isNull();
  }
}
