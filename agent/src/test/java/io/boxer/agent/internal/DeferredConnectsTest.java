package io.boxer.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import org.junit.jupiter.api.Test;

/** The life of a deferred connect, with the prime run by hand and the JDK replaced by fakes. */
class DeferredConnectsTest {
  private static final InetAddress MEMBER = address(198, 18, 99, 1);

  private final FakeChannel channel = new FakeChannel();
  private final FileDescriptor fd = new FileDescriptor();
  private final List<String> log = new ArrayList<>();
  private final Queue<Runnable> primeThread = new ArrayDeque<>();
  private IOException kernelFailure;
  private boolean asynchronous;
  private final DeferredConnects deferred = new DeferredConnects(new ChannelOps() {
    @Override
    public boolean isChannelOf(Object ch, FileDescriptor f) {
      return ch == channel && f == fd;
    }

    @Override
    public FileDescriptor fileDescriptor(Object ch) {
      return ch == channel ? fd : new FileDescriptor();
    }

    @Override
    public boolean isAsynchronous(Object ch) {
      return asynchronous;
    }

    @Override
    public void refreshSelectors(Object ch) {
      log.add("refresh");
    }

    @Override
    public void beginIo(Object ch) throws IOException {
      if (!channel.isOpen()) {
        throw new ClosedChannelException();
      }
      log.add("begin");
    }

    @Override
    public void endIo(Object ch) {
      log.add("end");
    }

    @Override
    public void updateAsyncEvents(Object ch) {
      log.add("update");
    }
  }, (family, f, address, port) -> {
    log.add("kernel connect " + address.getHostAddress() + ":" + port);
    if (kernelFailure != null) {
      throw kernelFailure;
    }
    return -2;
  }, primeThread::add);

  @Test
  void nothingDeferred_everyAnswerIsTheKernels() throws Exception {
    assertThat(deferred.pollConnect(fd)).isEqualTo(DeferredConnects.CONTINUE);
    assertThat(deferred.interestOps(channel)).isEqualTo(DeferredConnects.CONTINUE);
    assertThat(deferred.canDefer(channel, fd)).isTrue();
    assertThat(deferred.canDefer(channel, new FileDescriptor())).isFalse();
  }

  @Test
  void whilePriming_notConnectedAndPolledForNothing_thenTheSelectorIssuesTheKernelConnectOnce() throws Exception {
    deferred.start(channel, StandardProtocolFamily.INET, fd, MEMBER, 4000, () -> log.add("prime"));

    assertThat(deferred.pollConnect(fd)).isEqualTo(DeferredConnects.NOT_YET);
    assertThat(deferred.interestOps(channel)).isEqualTo(DeferredConnects.NOT_YET);
    assertThat(deferred.pollConnect(new FileDescriptor())).isEqualTo(DeferredConnects.CONTINUE); // other sockets
    assertThat(log).isEmpty();

    primeThread.remove().run();
    assertThat(log).containsExactly("prime", "refresh");
    assertThat(deferred.interestOps(channel)).isEqualTo(DeferredConnects.CONTINUE);
    assertThat(deferred.interestOps(channel)).isEqualTo(DeferredConnects.CONTINUE);
    assertThat(deferred.pollConnect(fd)).isEqualTo(DeferredConnects.CONTINUE);
    assertThat(log).containsExactly("prime", "refresh", "kernel connect 198.18.99.1:4000");
    assertThat(deferred.active()).isZero();
  }

  @Test
  void primed_finishConnectFirst_issuesTheKernelConnectItself() throws Exception {
    deferred.start(channel, StandardProtocolFamily.INET, fd, MEMBER, 4000, () -> {});
    primeThread.remove().run();

    assertThat(deferred.pollConnect(fd)).isEqualTo(DeferredConnects.CONTINUE);
    assertThat(log).containsExactly("refresh", "kernel connect 198.18.99.1:4000");
    assertThat(deferred.active()).isZero();
  }

  @Test
  void failedPrime_selectorPollsTheSocket_finishConnectThrowsTheFailureOnce() throws Exception {
    ConnectException refused = new ConnectException("Connection refused");
    deferred.start(channel, StandardProtocolFamily.INET, fd, MEMBER, 4000, () -> {
      throw refused;
    });
    primeThread.remove().run();

    assertThat(deferred.interestOps(channel)).isEqualTo(DeferredConnects.CONTINUE); // OP_CONNECT fires
    assertThatThrownBy(() -> deferred.pollConnect(fd)).isSameAs(refused);
    assertThat(deferred.pollConnect(fd)).isEqualTo(DeferredConnects.CONTINUE);
    assertThat(log).containsExactly("refresh");
    assertThat(deferred.active()).isZero();
  }

  @Test
  void failedKernelConnect_isThrownByFinishConnect() throws Exception {
    kernelFailure = new ConnectException("Network is unreachable");
    deferred.start(channel, StandardProtocolFamily.INET, fd, MEMBER, 4000, () -> {});
    primeThread.remove().run();

    assertThat(deferred.interestOps(channel)).isEqualTo(DeferredConnects.CONTINUE);
    assertThatThrownBy(() -> deferred.pollConnect(fd)).isSameAs(kernelFailure);
    assertThat(log).containsExactly("refresh", "kernel connect 198.18.99.1:4000");
    assertThat(deferred.active()).isZero();
  }

  @Test
  void channelClosedDuringThePrime_leavesNothingBehind() throws Exception {
    deferred.start(channel, StandardProtocolFamily.INET, fd, MEMBER, 4000, () -> {});
    channel.close();
    primeThread.remove().run();

    assertThat(deferred.active()).isZero();
    assertThat(log).isEmpty(); // no selector refresh, no kernel connect
  }

  @Test
  void asynchronous_theAgentThreadConnectsWithCloseHeldOff_thenRegistersTheChannel() throws Exception {
    asynchronous = true;
    deferred.start(channel, StandardProtocolFamily.INET, fd, MEMBER, 4000, () -> {});
    assertThat(deferred.interestOps(channel)).isEqualTo(DeferredConnects.NOT_YET); // no registration yet

    primeThread.remove().run();
    assertThat(log).containsExactly("begin", "kernel connect 198.18.99.1:4000", "end", "update");
    assertThat(deferred.interestOps(channel)).isEqualTo(DeferredConnects.CONTINUE);
    deferred.beforeConnected(channel); // completes as usual
    assertThat(deferred.active()).isZero();
  }

  @Test
  void asynchronous_failedPrime_isThrownWhereTheChannelCompletesTheConnect() throws Exception {
    asynchronous = true;
    ConnectException failed = new ConnectException("Boxer: priming 198.18.99.1:4000 failed: timed out");
    deferred.start(channel, StandardProtocolFamily.INET, fd, MEMBER, 4000, () -> {
      throw failed;
    });
    primeThread.remove().run();

    assertThat(log).containsExactly("update"); // no kernel connect
    assertThat(deferred.interestOps(channel)).isEqualTo(DeferredConnects.CONTINUE);
    assertThatThrownBy(() -> deferred.beforeConnected(channel)).isSameAs(failed);
    assertThat(deferred.active()).isZero();
  }

  @Test
  void asynchronous_closedBeforeTheKernelConnect_touchesNothing() throws Exception {
    asynchronous = true;
    deferred.start(channel, StandardProtocolFamily.INET, fd, MEMBER, 4000, () -> channel.close());
    primeThread.remove().run();

    assertThat(log).isEmpty();
    assertThat(deferred.active()).isZero();
  }

  private static final class FakeChannel implements Channel {
    private boolean open = true;

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public void close() {
      open = false;
    }
  }

  private static InetAddress address(int a, int b, int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
