package io.boxer.bench.paper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The tools against a real server on loopback: each mode's protocol, and samples of the promised shape. */
class BenchClientTest {
  private static Thread server;
  private static BenchClient client;

  @BeforeAll
  static void start() throws Exception {
    InetAddress loopback = InetAddress.getLoopbackAddress();
    ServerSocket data = new ServerSocket(0, 50, loopback);
    ServerSocket firstByte = new ServerSocket(0, 50, loopback);
    client = new BenchClient(new InetSocketAddress(loopback, data.getLocalPort()),
        new InetSocketAddress(loopback, firstByte.getLocalPort()));
    server = new Thread(() -> {
      try {
        new BenchServer().serve(data, firstByte, 120);
      } catch (Exception e) {
        // interrupted at the end of the tests
      }
    });
    server.setDaemon(true);
    server.start();
  }

  @AfterAll
  static void stop() {
    server.interrupt();
  }

  @Test
  void forward_givesOneSampleForEachIntervalButTheFirst_andTheServerCountedEveryByte() throws Exception {
    // forward() itself throws if the server's count differs from the bytes sent
    double[] mbit = client.forward(1000);
    assertThat(mbit).hasSize(1000 / BenchClient.INTERVAL_MILLIS - 1);
    assertThat(Arrays.stream(mbit).min().orElseThrow()).isPositive();
  }

  @Test
  void reverse_givesOneSampleForEachIntervalButTheFirst() throws Exception {
    double[] mbit = client.reverse(1000);
    assertThat(mbit).hasSizeBetween(1000 / BenchClient.INTERVAL_MILLIS - 2, 1000 / BenchClient.INTERVAL_MILLIS - 1)
        ;
    assertThat(Arrays.stream(mbit).min().orElseThrow()).isPositive();
  }

  @Test
  void pingPong_givesOneMeanRoundTripPerSample() throws Exception {
    double[] micros = client.pingPong(5);
    assertThat(micros).hasSize(5);
    assertThat(Arrays.stream(micros).min().orElseThrow()).isPositive();
    assertThat(Arrays.stream(micros).max().orElseThrow()).isLessThan(1_000_000);
  }

  @Test
  void timeToFirstByte_measuresEachFreshConnection() throws Exception {
    double[] micros = client.timeToFirstByte(20, 2);
    assertThat(micros).hasSize(20);
    assertThat(Arrays.stream(micros).min().orElseThrow()).isPositive();
    assertThat(Arrays.stream(micros).max().orElseThrow()).isLessThan(10_000_000);
  }

  @Test
  void intervals_splitBytesByElapsedTime_andConvertToMbitPerSecond() {
    assertThat(BenchClient.mbitPerSecond(1_000_000, 1000)).isEqualTo(8.0);
    assertThat(BenchClient.mbitPerSecond(31_250, 250)).isEqualTo(1.0);
  }

  @Test
  void wire_refusesAnUnknownModeByte() {
    assertThat(Wire.of('P')).isEqualTo(Wire.PING_PONG);
    assertThatThrownBy(() -> Wire.of('X')).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("mode byte : 88 (expected: F, R or P)");
  }
}
