package io.boxer.agent.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatNoException;

import java.io.FileDescriptor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BoxerHooksTest {

  private static final InetAddress MEMBER = address(198, 18, 99, 1);
  private static final InetAddress OTHER = address(127, 0, 0, 1);

  private final List<String> calls = new ArrayList<>();

  @AfterEach
  void uninstall() {
    BoxerHooks.install(null);
    BoxerHooks.exitInternal();
  }

  @Test
  void beforeConnect_withoutHook_doesNothing() {
    assertThat(BoxerHooks.installed()).isNull();
    assertThatNoException().isThrownBy(
        () -> BoxerHooks.beforeConnect(StandardProtocolFamily.INET, new FileDescriptor(), MEMBER, 80));
  }

  @Test
  void beforeConnect_nonMember_skipsHook() throws Exception {
    BoxerHooks.install(new Recording(null));
    BoxerHooks.beforeConnect(StandardProtocolFamily.INET, new FileDescriptor(), OTHER, 80);
    assertThat(calls).containsExactly("intercepts 127.0.0.1");
  }

  @Test
  void beforeConnect_member_callsHookInsideGuard() throws Exception {
    BoxerHooks.install(new Recording(null));
    BoxerHooks.beforeConnect(StandardProtocolFamily.INET, new FileDescriptor(), MEMBER, 4000);
    assertThat(calls).containsExactly("intercepts 198.18.99.1", "connect 198.18.99.1:4000 internal=true");
    assertThat(BoxerHooks.isInternal()).isFalse();
  }

  @Test
  void beforeConnect_reentrant_skipsHook() throws Exception {
    BoxerHooks.install(new Recording(null));
    BoxerHooks.enterInternal();
    BoxerHooks.beforeConnect(StandardProtocolFamily.INET, new FileDescriptor(), MEMBER, 4000);
    BoxerHooks.beforeBind(StandardProtocolFamily.INET, new FileDescriptor(), MEMBER, 4000);
    // not even the member lookup (which may wait for the first view) runs on an agent thread
    assertThat(calls).isEmpty();
  }

  @Test
  void beforeConnect_connectException_passesThroughUnchanged() {
    ConnectException refused = new ConnectException("Connection refused");
    BoxerHooks.install(new Recording(refused));
    assertThatThrownBy(
        () -> BoxerHooks.beforeConnect(StandardProtocolFamily.INET, new FileDescriptor(), MEMBER, 4000))
        .isSameAs(refused);
    assertThat(BoxerHooks.isInternal()).isFalse();
  }

  @Test
  void beforeConnect_unexpectedFailure_becomesBoxerConnectException() {
    IllegalStateException bug = new IllegalStateException("bug");
    BoxerHooks.install(new Recording(bug));
    assertThatThrownBy(
        () -> BoxerHooks.beforeConnect(StandardProtocolFamily.INET, new FileDescriptor(), MEMBER, 4000))
        .isExactlyInstanceOf(ConnectException.class)
        .hasMessageStartingWith("Boxer: ")
        .hasMessageContaining("198.18.99.1:4000")
        .hasCause(bug);
  }

  @Test
  void beforeBind_failure_isSwallowed() {
    BoxerHooks.install(new Recording(new IOException("setsockopt failed")));
    assertThatNoException().isThrownBy(
        () -> BoxerHooks.beforeBind(StandardProtocolFamily.INET, new FileDescriptor(), OTHER, 0));
    assertThat(calls).containsExactly("bind 127.0.0.1:0 internal=true");
    assertThat(BoxerHooks.isInternal()).isFalse();
  }

  @Test
  void connectDeadline_isTakenOnceForItsOwnDestination() throws Exception {
    BoxerHooks.connectTimeout(new java.net.InetSocketAddress(MEMBER, 4000), 500);
    long before = System.nanoTime();

    long deadline = BoxerHooks.takeConnectDeadline(MEMBER, 4000);

    assertThat(deadline - before).isBetween(400_000_000L, 500_000_000L);
    assertThat(BoxerHooks.takeConnectDeadline(MEMBER, 4000)).isZero();
  }

  @Test
  void connectDeadline_forAnotherDestination_isDroppedNotApplied() {
    BoxerHooks.connectTimeout(new java.net.InetSocketAddress(MEMBER, 4000), 500);

    assertThat(BoxerHooks.takeConnectDeadline(MEMBER, 4001)).isZero();
    assertThat(BoxerHooks.takeConnectDeadline(MEMBER, 4000)).isZero();
  }

  @Test
  void connectTimeout_withoutTimeoutOrUnresolved_notesNothing() {
    BoxerHooks.connectTimeout(new java.net.InetSocketAddress(MEMBER, 4000), 0);
    assertThat(BoxerHooks.takeConnectDeadline(MEMBER, 4000)).isZero();
    BoxerHooks.connectTimeout(java.net.InetSocketAddress.createUnresolved("member", 4000), 500);
    assertThat(BoxerHooks.takeConnectDeadline(MEMBER, 4000)).isZero();
    BoxerHooks.connectTimeout(null, 500); // never throws
  }

  private final class Recording implements SocketHook {
    private final Throwable failure;

    Recording(Throwable failure) {
      this.failure = failure;
    }

    @Override
    public boolean interceptsConnect(InetAddress address) {
      calls.add("intercepts " + address.getHostAddress());
      return address.equals(MEMBER);
    }

    @Override
    public InetAddress beforeConnect(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port)
        throws IOException {
      calls.add("connect " + address.getHostAddress() + ":" + port + " internal=" + BoxerHooks.isInternal());
      fail();
      return address;
    }

    @Override
    public InetAddress beforeBind(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port)
        throws IOException {
      calls.add("bind " + address.getHostAddress() + ":" + port + " internal=" + BoxerHooks.isInternal());
      fail();
      return address;
    }

    private void fail() throws IOException {
      if (failure instanceof IOException) {
        throw (IOException) failure;
      } else if (failure instanceof RuntimeException) {
        throw (RuntimeException) failure;
      }
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
