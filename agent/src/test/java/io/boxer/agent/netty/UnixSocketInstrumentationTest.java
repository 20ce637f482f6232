package io.boxer.agent.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.agent.bootstrap.BoxerHooks;
import io.boxer.agent.bootstrap.NativeSocketHooks;
import io.boxer.agent.bootstrap.SocketHook;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UnixSocketInstrumentationTest {

  private static final String RELOCATED = "io.boxer.agent.netty.fixture.relocated.io.netty.channel.unix.Socket";
  private static final String LOOKALIKE = "io.boxer.agent.netty.fixture.lookalike.channel.unix.Socket";
  private static final InetAddress MEMBER = address(198, 18, 99, 1);
  private static final InetAddress LOOPBACK = address(127, 0, 0, 1);

  private final List<String> calls = new ArrayList<>();
  private final Fds fds = new Fds();

  @AfterEach
  void uninstall() {
    BoxerHooks.install(null);
    NativeSocketHooks.install(null);
  }

  @Test
  void nameCheck_anyRelocationPrefix() {
    assertThat(UnixSocketInstrumentation.nameMatches("io/netty/channel/unix/Socket")).isTrue();
    assertThat(UnixSocketInstrumentation.nameMatches("io/grpc/netty/shaded/io/netty/channel/unix/Socket")).isTrue();
    assertThat(UnixSocketInstrumentation.nameMatches("io/netty/channel/unix/SocketWritableByteChannel")).isFalse();
    assertThat(UnixSocketInstrumentation.nameMatches("java/net/Socket")).isFalse();
  }

  @Test
  void transform_otherClasses_untouched() throws Exception {
    UnixSocketInstrumentation t = new UnixSocketInstrumentation();
    assertThat(t.transform(null, null, "java/net/Socket", null, null, bytes("java.lang.String"))).isNull();
    assertThat(t.transform(null, null, LOOKALIKE.replace('.', '/'), null, null, bytes(LOOKALIKE))).isNull();
    assertThat(t.transform(null, null, RELOCATED.replace('.', '/'), null, null, bytes(RELOCATED))).isNotNull();
  }

  @Test
  void rewrite_lookalikeWithOtherDescriptors_noMatch() throws Exception {
    assertThat(UnixSocketInstrumentation.rewrite(bytes(LOOKALIKE))).isNull();
  }

  @Test
  void rewrite_realNettySocket_verifies() throws Exception {
    String netty = "io.netty.channel.unix.Socket";
    byte[] rewritten = UnixSocketInstrumentation.rewrite(bytes(netty));
    assertThat(rewritten).isNotNull();
    Class<?> copy = Class.forName(netty, false, new ChildFirst(netty, rewritten));
    assertThat(copy.getDeclaredMethods()).isNotEmpty(); // links: the verifier checks every method
  }

  @Test
  void rewrittenConnect_member_primedThroughTheJdkPath_withTheSocketsFd() throws Exception {
    install(null);
    Object socket = newRewrittenSocket(42);
    InetSocketAddress remote = new InetSocketAddress(MEMBER, 4000);
    socket.getClass().getMethod("connect", SocketAddress.class).invoke(socket, remote);
    assertThat(calls).containsExactly("fd 42", "connect INET6 42 /198.18.99.1:4000");
    assertThat(socket.getClass().getField("connected").get(socket)).isSameAs(remote);
  }

  @Test
  void rewrittenConnect_nonMember_noHookNoFd() throws Exception {
    install(null);
    Object socket = newRewrittenSocket(42);
    InetSocketAddress remote = new InetSocketAddress(LOOPBACK, 4000);
    socket.getClass().getMethod("connect", SocketAddress.class).invoke(socket, remote);
    assertThat(calls).isEmpty();
    assertThat(socket.getClass().getField("connected").get(socket)).isSameAs(remote);
  }

  @Test
  void rewrittenConnect_hookRewritesAddress_socketConnectsThere() throws Exception {
    install(LOOPBACK);
    Object socket = newRewrittenSocket(7);
    socket.getClass().getMethod("connect", SocketAddress.class).invoke(socket, new InetSocketAddress(MEMBER, 80));
    assertThat(socket.getClass().getField("connected").get(socket)).isEqualTo(new InetSocketAddress(LOOPBACK, 80));
  }

  @Test
  void rewrittenConnect_refused_throwsConnectException() throws Exception {
    BoxerHooks.install(new Recording(null) {
      @Override
      public InetAddress beforeConnect(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port)
          throws IOException {
        throw new ConnectException("Connection refused");
      }
    });
    NativeSocketHooks.install(fds);
    Object socket = newRewrittenSocket(7);
    assertThatThrownBy(() -> socket.getClass().getMethod("connect", SocketAddress.class)
        .invoke(socket, new InetSocketAddress(MEMBER, 80)))
        .isInstanceOf(InvocationTargetException.class).cause()
        .isInstanceOf(ConnectException.class).hasMessage("Connection refused");
    assertThat(socket.getClass().getField("connected").get(socket)).isNull();
  }

  @Test
  void rewrittenBind_hookRewritesAddress_andFailuresNeverFailTheBind() throws Exception {
    install(InetAddress.getByAddress(new byte[4]));
    Object socket = newRewrittenSocket(9);
    socket.getClass().getMethod("bind", SocketAddress.class).invoke(socket, new InetSocketAddress(MEMBER, 81));
    assertThat(calls).containsExactly("fd 9", "bind INET6 9 /198.18.99.1:81");
    assertThat(socket.getClass().getField("bound").get(socket)).isEqualTo(new InetSocketAddress("0.0.0.0", 81));

    NativeSocketHooks.install(new Fds() {
      @Override
      public FileDescriptor fileDescriptor(int fd) throws IOException {
        throw new IOException("boom");
      }
    });
    InetSocketAddress local = new InetSocketAddress(MEMBER, 82);
    socket.getClass().getMethod("bind", SocketAddress.class).invoke(socket, local);
    assertThat(socket.getClass().getField("bound").get(socket)).isSameAs(local);
  }

  private void install(InetAddress rewriteTo) {
    BoxerHooks.install(new Recording(rewriteTo));
    NativeSocketHooks.install(fds);
  }

  private Object newRewrittenSocket(int fd) throws Exception {
    byte[] rewritten = UnixSocketInstrumentation.rewrite(bytes(RELOCATED));
    Class<?> copy = Class.forName(RELOCATED, true, new ChildFirst(RELOCATED, rewritten));
    return copy.getConstructor(int.class).newInstance(fd);
  }

  private static byte[] bytes(String className) throws IOException {
    try (InputStream in = ClassLoader.getSystemResourceAsStream(className.replace('.', '/') + ".class")) {
      return in.readAllBytes();
    }
  }

  private static InetAddress address(int a, int b, int c, int d) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** Fake fds: a FileDescriptor per number (tracked by identity in a list), always INET6. */
  private class Fds implements NativeSocketHooks.NativeFds {
    final List<FileDescriptor> made = new ArrayList<>();
    final List<Integer> numbers = new ArrayList<>();

    @Override
    public FileDescriptor fileDescriptor(int fd) throws IOException {
      calls.add("fd " + fd);
      FileDescriptor d = new FileDescriptor();
      made.add(d);
      numbers.add(fd);
      return d;
    }

    @Override
    public ProtocolFamily family(FileDescriptor fd) {
      return StandardProtocolFamily.INET6;
    }

    int number(FileDescriptor fd) {
      for (int i = 0; i < made.size(); i++) {
        if (made.get(i) == fd) {
          return numbers.get(i);
        }
      }
      return -1;
    }
  }

  /** Members: 198.18.99.1 only. Records calls with the fd number; returns {@code rewriteTo} when set. */
  private class Recording implements SocketHook {
    private final InetAddress rewriteTo;

    Recording(InetAddress rewriteTo) {
      this.rewriteTo = rewriteTo;
    }

    @Override
    public boolean interceptsConnect(InetAddress address) {
      return address.equals(MEMBER);
    }

    @Override
    public InetAddress beforeConnect(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port)
        throws IOException {
      calls.add("connect " + family + " " + number(fd) + " " + address + ":" + port);
      return rewriteTo != null ? rewriteTo : address;
    }

    @Override
    public InetAddress beforeBind(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port) {
      calls.add("bind " + family + " " + number(fd) + " " + address + ":" + port);
      return rewriteTo != null ? rewriteTo : address;
    }

    private int number(FileDescriptor fd) {
      return fds.number(fd);
    }
  }

  /** Defines one class from the given bytes, delegating everything else to the test's class loader. */
  private static final class ChildFirst extends ClassLoader {
    private final String name;
    private final byte[] bytes;

    ChildFirst(String name, byte[] bytes) {
      super(UnixSocketInstrumentationTest.class.getClassLoader());
      this.name = name;
      this.bytes = bytes;
    }

    @Override
    protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
      if (!className.equals(name)) {
        return super.loadClass(className, resolve);
      }
      synchronized (getClassLoadingLock(className)) {
        Class<?> c = findLoadedClass(className);
        return c != null ? c : defineClass(className, bytes, 0, bytes.length);
      }
    }
  }

  @Test
  void isIoUring_recognisesNettyAndIncubatorAndRelocatedCopies() {
    assertThat(UnixSocketInstrumentation.isIoUring("io/netty/channel/uring/IoUringIoHandler")).isTrue();
    assertThat(UnixSocketInstrumentation.isIoUring("io/netty/incubator/channel/uring/IOUring")).isTrue();
    assertThat(UnixSocketInstrumentation.isIoUring("shaded/io/netty/channel/uring/IoUring")).isTrue();
    assertThat(UnixSocketInstrumentation.isIoUring("io/netty/channel/epoll/Epoll")).isFalse();
    assertThat(UnixSocketInstrumentation.isIoUring("com/example/uring/Ring")).isFalse();
  }
}
