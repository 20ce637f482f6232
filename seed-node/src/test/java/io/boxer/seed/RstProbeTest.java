package io.boxer.seed;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RstProbeTest {
  @Test
  void answersRst_portHeldBoundWithoutListener_isRefusedByTheKernel() throws Exception {
    try (Socket bound = new Socket()) {
      bound.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)); // no listen: a SYN meets a RST
      assertThat(new RstProbe().answersRst(new InetSocketAddress(InetAddress.getLoopbackAddress(),
          bound.getLocalPort()))).isTrue();
    }
  }

  @Test
  void answersRst_aListenerAccepting_alsoCounts() throws Exception {
    try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(new RstProbe().answersRst((InetSocketAddress) listener.getLocalSocketAddress())).isTrue();
    }
  }

  @Test
  void answersRst_timeout_meansTheHostDrops() {
    RstProbe probe = new RstProbe((target, timeout) -> {
      throw new SocketTimeoutException("Connect timed out");
    });
    assertThat(probe.answersRst(new InetSocketAddress("198.18.0.11", 40000))).isFalse();
  }

  @Test
  void answersRst_unreachable_isNotARst() {
    RstProbe probe = new RstProbe((target, timeout) -> {
      throw new java.net.NoRouteToHostException("No route to host");
    });
    assertThat(probe.answersRst(new InetSocketAddress("198.18.0.11", 40000))).isFalse();
  }

  @Test
  void answersRst_atMostMaxConcurrentProbes_theRestAreSkippedWithoutDialing() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch allIn = new CountDownLatch(RstProbe.MAX_CONCURRENT);
    AtomicInteger dials = new AtomicInteger();
    RstProbe probe = new RstProbe((target, timeout) -> {
      dials.incrementAndGet();
      allIn.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      throw new java.net.ConnectException("Connection refused");
    });
    InetSocketAddress target = new InetSocketAddress("198.18.0.11", 40000);
    ExecutorService pool = Executors.newFixedThreadPool(RstProbe.MAX_CONCURRENT);
    try {
      Future<?>[] running = new Future<?>[RstProbe.MAX_CONCURRENT];
      for (int i = 0; i < running.length; i++) {
        running[i] = pool.submit(() -> probe.answersRst(target));
      }
      assertThat(allIn.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(probe.answersRst(target)).isFalse();
      assertThat(dials).hasValue(RstProbe.MAX_CONCURRENT);
      release.countDown();
      for (Future<?> f : running) {
        assertThat(f.get(10, TimeUnit.SECONDS)).isEqualTo(true);
      }
      assertThat(probe.answersRst(target)).isTrue(); // permits came back
    } finally {
      release.countDown();
      pool.shutdownNow();
    }
  }
}
