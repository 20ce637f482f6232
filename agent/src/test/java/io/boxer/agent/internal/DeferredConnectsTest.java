package io.boxer.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
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
  private static final InetSocketAddress RELAY = new InetSocketAddress(address(127, 0, 0, 1), 47001);

  private final FakeChannel channel = new FakeChannel();
  private final FileDescriptor fd = new FileDescriptor();
  private final List<String> log = new ArrayList<>();
  private final Queue<Runnable> primeThread = new ArrayDeque<>();
  private IOException kernelFailure;
  /** The failure the loopback connect to a relay endpoint ends with, seen by the wait for it. */
  private IOException relayFailure;
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
  }, new NettyEpollChannels(), new FakeKernel(), primeThread::add);

  @Test
  void nothingDeferred_everyAnswerIsTheKernels() throws Exception {
    assertThat(deferred.pollConnect(fd)).isEqualTo(DeferredConnects.CONTINUE);
    assertThat(deferred.interestOps(channel)).isEqualTo(DeferredConnects.CONTINUE);
    assertThat(deferred.canDefer(channel, fd)).isTrue();
    assertThat(deferred.canDefer(channel, new FileDescriptor())).isFalse();
  }

  @Test
  void whilePriming_notConnectedAndPolledForNothing_thenTheSelectorIssuesTheKernelConnectOnce() throws Exception {
    deferred.start(channel, StandardProtocolFamily.INET, fd, MEMBER, 4000, () -> {
      log.add("prime");
      return null;
    });

    assertThat(deferred.pollConnect(fd)).isEqualTo(DeferredConnects.NOT_YET);
    assertThat(deferred.interestOps(channel)).isEqualTo(DeferredConnects.NOT_YET);
    assertThat(deferred.pollConnect(new FileDescriptor())).isEqualTo(DeferredConnects.CONTINUE); // other sockets
    assertThat(log).isEmpty();

    primeThread.remove().run();
    assertThat(log).containsExactly("prime", "refresh");
    assertThat(deferred.interestOps(channel)).isEqualTo(DeferredConnects.CONTINUE);
    assertThat(deferred.interestOps(channel)).isEqualTo(DeferredConnects.CONTINUE);
    assertThat(deferred.pollConnect(fd)).isEqualTo(DeferredConnects.CONTINUE);
    // the other selectors of the channel are refreshed from an agent thread, never the selector's own
    primeThread.remove().run();
    assertThat(log).containsExactly("prime", "refresh", "kernel connect 198.18.99.1:4000", "refresh");
    assertThat(primeThread).isEmpty();
    assertThat(deferred.active()).isZero();
  }

  @Test
  void primed_finishConnectFirst_issuesTheKernelConnectItself() throws Exception {
    deferred.start(channel, StandardProtocolFamily.INET, fd, MEMBER, 4000, () -> null);
    primeThread.remove().run();

    assertThat(deferred.pollConnect(fd)).isEqualTo(DeferredConnects.CONTINUE);
    primeThread.remove().run();
    assertThat(log).containsExactly("refresh", "kernel connect 198.18.99.1:4000", "refresh");
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
    deferred.start(channel, StandardProtocolFamily.INET, fd, MEMBER, 4000, () -> null);
    primeThread.remove().run();

    assertThat(deferred.interestOps(channel)).isEqualTo(DeferredConnects.CONTINUE);
    assertThatThrownBy(() -> deferred.pollConnect(fd)).isSameAs(kernelFailure);
    primeThread.remove().run();
    assertThat(log).containsExactly("refresh", "kernel connect 198.18.99.1:4000", "refresh");
    assertThat(deferred.active()).isZero();
  }

  @Test
  void channelClosedDuringThePrime_leavesNothingBehind() throws Exception {
    deferred.start(channel, StandardProtocolFamily.INET, fd, MEMBER, 4000, () -> null);
    channel.close();
    primeThread.remove().run();

    assertThat(deferred.active()).isZero();
    assertThat(log).isEmpty(); // no selector refresh, no kernel connect
  }

  @Test
  void asynchronous_theAgentThreadConnectsWithCloseHeldOff_thenRegistersTheChannel() throws Exception {
    asynchronous = true;
    deferred.start(channel, StandardProtocolFamily.INET, fd, MEMBER, 4000, () -> null);
    assertThat(deferred.interestOps(channel)).isEqualTo(DeferredConnects.NOT_YET); // no registration yet

    primeThread.remove().run();
    assertThat(log).containsExactly("begin", "kernel connect 198.18.99.1:4000", "update", "end");
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

    assertThat(log).containsExactly("begin", "update", "end"); // no kernel connect
    assertThat(deferred.interestOps(channel)).isEqualTo(DeferredConnects.CONTINUE);
    assertThatThrownBy(() -> deferred.beforeConnected(channel)).isSameAs(failed);
    assertThat(deferred.active()).isZero();
  }

  @Test
  void asynchronous_closedBeforeTheKernelConnect_touchesNothing() throws Exception {
    asynchronous = true;
    deferred.start(channel, StandardProtocolFamily.INET, fd, MEMBER, 4000, () -> {
      channel.close();
      return null;
    });
    primeThread.remove().run();

    assertThat(log).isEmpty();
    assertThat(deferred.active()).isZero();
  }

  @Test
  void anErrorDuringThePrime_stillEndsTheConnect() throws Exception {
    deferred.start(channel, StandardProtocolFamily.INET, fd, MEMBER, 4000, () -> {
      throw new ExceptionInInitializerError("protobuf");
    });
    primeThread.remove().run();

    assertThatThrownBy(() -> deferred.pollConnect(fd)).isInstanceOf(IOException.class)
        .hasMessageStartingWith("Boxer: priming failed: java.lang.ExceptionInInitializerError");
    assertThat(deferred.active()).isZero();
  }

  @Test
  void aChannelClosedWithItsConnectUnfinished_isSweptAndTheFastPathComesBack() throws Exception {
    deferred.start(channel, StandardProtocolFamily.INET, fd, MEMBER, 4000, () -> {
      throw new ConnectException("Connection refused");
    });
    primeThread.remove().run(); // FAILED; the application closes the channel without finishConnect
    channel.close();
    assertThat(deferred.active()).isEqualTo(1);

    FakeChannel next = new FakeChannel();
    deferred.start(next, StandardProtocolFamily.INET, new FileDescriptor(), MEMBER, 4001, () -> null);
    assertThat(deferred.active()).as("the closed channel's entry is gone").isEqualTo(1);
  }

  @Test
  void noThreadForThePrime_failsTheConnectAtOnce() {
    DeferredConnects noThreads = new DeferredConnects(new ChannelOpsStub(), new NettyEpollChannels(), new FakeKernel(), task -> {
      throw new OutOfMemoryError("unable to create native thread");
    });

    assertThatThrownBy(() -> noThreads.start(channel, StandardProtocolFamily.INET, fd, MEMBER, 4000, () -> null))
        .isInstanceOf(ConnectException.class).hasMessageContaining("Boxer: cannot start the prime");
    assertThat(noThreads.active()).isZero();
  }

  @Test
  void relayed_theSelectorConnectsTheSocketToTheRelayEndpointInstead() throws Exception {
    deferred.start(channel, StandardProtocolFamily.INET, fd, MEMBER, 4000, () -> RELAY);
    primeThread.remove().run();

    assertThat(deferred.interestOps(channel)).isEqualTo(DeferredConnects.CONTINUE);
    assertThat(log).containsExactly("refresh", "kernel connect 127.0.0.1:47001", "await");
    assertThat(deferred.active()).isZero();
  }

  @Test
  void relayed_relayEndpointGone_finishConnectThrowsTheRelayStep() throws Exception {
    relayFailure = new ConnectException("Connection refused");
    deferred.start(channel, StandardProtocolFamily.INET, fd, MEMBER, 4000, () -> RELAY);
    primeThread.remove().run();

    assertThatThrownBy(() -> deferred.pollConnect(fd)).isExactlyInstanceOf(ConnectException.class)
        .hasMessage("Boxer: relay to 198.18.99.1:4000 failed: connect to 127.0.0.1:47001: Connection refused")
        .hasCause(relayFailure);
    assertThat(deferred.pollConnect(fd)).isEqualTo(DeferredConnects.CONTINUE);
    assertThat(deferred.active()).isZero();
  }

  @Test
  void relayed_asynchronous_theAgentThreadConnectsToTheRelayEndpoint() throws Exception {
    asynchronous = true;
    deferred.start(channel, StandardProtocolFamily.INET, fd, MEMBER, 4000, () -> RELAY);
    primeThread.remove().run();

    assertThat(log).containsExactly("begin", "kernel connect 127.0.0.1:47001", "await", "update", "end");
    deferred.beforeConnected(channel); // completes as usual
    assertThat(deferred.active()).isZero();
  }

  /** The kernel: connects are in progress (-2) or fail with {@link #kernelFailure}; waits end as set. */
  private final class FakeKernel implements RelayConnect.Kernel {
    @Override
    public int connect(ProtocolFamily family, FileDescriptor f, InetAddress address, int port) throws IOException {
      log.add("kernel connect " + address.getHostAddress() + ":" + port);
      if (kernelFailure != null) {
        throw kernelFailure;
      }
      return -2;
    }

    @Override
    public boolean awaitConnect(FileDescriptor f, long timeoutMillis) throws IOException {
      log.add("await");
      if (relayFailure != null) {
        throw relayFailure;
      }
      return true;
    }
  }

  /** Every channel is a selectable one of the fd it is asked about; shared with BoxerSocketHookTest. */
  static final class ChannelOpsStub implements ChannelOps {
    @Override
    public boolean isChannelOf(Object channel, FileDescriptor fd) {
      return true;
    }

    @Override
    public FileDescriptor fileDescriptor(Object channel) {
      return new FileDescriptor();
    }

    @Override
    public boolean isAsynchronous(Object channel) {
      return false;
    }

    @Override
    public void refreshSelectors(Object channel) {}

    @Override
    public void beginIo(Object channel) {}

    @Override
    public void endIo(Object channel) {}

    @Override
    public void updateAsyncEvents(Object channel) {}
  }

  /** A channel that is open until closed; shared with BoxerSocketHookTest. */
  static final class FakeChannel implements Channel {
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
