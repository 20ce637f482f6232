package io.boxer.agent.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.boxer.agent.bootstrap.BoxerHooks;
import io.boxer.agent.bootstrap.SocketHook;
import java.io.FileDescriptor;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ProtocolFamily;
import java.net.StandardProtocolFamily;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

class NetInstrumentationTest {

  @AfterEach
  void uninstall() {
    BoxerHooks.install(null);
  }

  @Test
  void rewrite_jdkNet_callsHooksFirst_bindGuarded_andVerifies() throws Exception {
    byte[] net;
    try (InputStream in = Object.class.getModule().getResourceAsStream("sun/nio/ch/Net.class")) {
      net = in.readAllBytes();
    }
    byte[] rewritten = NetInstrumentation.rewrite(net);

    assertThat(firstInstructions(rewritten, "connect", NetInstrumentation.CONNECT_DESC))
        .startsWith("ALOAD 0", "ALOAD 1", "ALOAD 2", "ILOAD 3",
            "INVOKESTATIC io/boxer/agent/bootstrap/BoxerHooks.beforeConnect");
    assertThat(firstInstructions(rewritten, "bind", NetInstrumentation.BIND_DESC))
        .startsWith("TRY java/lang/Throwable", "ALOAD 0", "ALOAD 1", "ALOAD 2", "ILOAD 3",
            "INVOKESTATIC io/boxer/agent/bootstrap/BoxerHooks.beforeBind");
    assertThat(firstInstructions(rewritten, "pollConnectNow", NetInstrumentation.POLL_CONNECT_DESC))
        .startsWith("ALOAD 0", "INVOKESTATIC io/boxer/agent/bootstrap/BoxerHooks.pollConnect");
    // Defining and linking a copy runs the split verifier on every method, frames included.
    Class<?> copy = new OneClassLoader("sun.nio.ch.Net", rewritten).loadClass("sun.nio.ch.Net");
    assertThat(copy.getDeclaredMethods()).isNotEmpty();
  }

  @Test
  void connectTimeoutRewrite_jdkNioSocketImpl_notesTheTimeoutFirst() throws Exception {
    byte[] impl;
    try (InputStream in = Object.class.getModule().getResourceAsStream("sun/nio/ch/NioSocketImpl.class")) {
      impl = in.readAllBytes();
    }
    byte[] rewritten = ConnectTimeoutInstrumentation.rewrite(impl);

    // the method's own try/finally starts at its first instruction; the note comes before any of its code
    assertThat(firstInstructions(rewritten, "connect", ConnectTimeoutInstrumentation.CONNECT_DESC)
        .stream().filter(i -> !i.startsWith("TRY")).toList())
        .startsWith("ALOAD 1", "ILOAD 2", "INVOKESTATIC io/boxer/agent/bootstrap/BoxerHooks.connectTimeout");
    // the other connect overloads are untouched
    assertThat(firstInstructions(rewritten, "connect", "(Ljava/net/InetAddress;I)V"))
        .doesNotContain("INVOKESTATIC io/boxer/agent/bootstrap/BoxerHooks.connectTimeout");
    // a copy cannot be linked outside java.base (its superinterface is not exported); the JVM verifies the
    // real rewrite in AgentIT, where every java.net.Socket of the probe goes through it
  }

  @Test
  void socketChannelRewrite_jdkSocketChannelImpl_hooksConnectAndInterestOps() throws Exception {
    byte[] impl;
    try (InputStream in = Object.class.getModule().getResourceAsStream("sun/nio/ch/SocketChannelImpl.class")) {
      impl = in.readAllBytes();
    }
    byte[] rewritten = SocketChannelInstrumentation.rewrite(impl);

    assertThat(firstInstructions(rewritten, "connect", SocketChannelInstrumentation.CONNECT_DESC))
        .startsWith("TRY java/lang/Throwable", "ALOAD 0",
            "INVOKESTATIC io/boxer/agent/bootstrap/BoxerHooks.beforeChannelConnect");
    assertThat(firstInstructions(rewritten, "translateInterestOps", SocketChannelInstrumentation.INTEREST_DESC))
        .startsWith("ALOAD 0", "ILOAD 1", "INVOKESTATIC io/boxer/agent/bootstrap/BoxerHooks.interestOps");
    // like NioSocketImpl, a copy cannot be linked outside java.base; the lab tests run the real rewrite
  }

  @Test
  void asyncChannelRewrite_jdkUnixAsynchronousSocketChannelImpl_hooksConnectEventsAndCompletion() throws Exception {
    byte[] impl;
    try (InputStream in = Object.class.getModule()
        .getResourceAsStream("sun/nio/ch/UnixAsynchronousSocketChannelImpl.class")) {
      impl = in.readAllBytes();
    }
    byte[] rewritten = AsyncChannelInstrumentation.rewrite(impl);

    assertThat(firstInstructions(rewritten, "implConnect", AsyncChannelInstrumentation.CONNECT_DESC))
        .startsWith("TRY java/lang/Throwable", "ALOAD 0",
            "INVOKESTATIC io/boxer/agent/bootstrap/BoxerHooks.beforeChannelConnect");
    assertThat(firstInstructions(rewritten, "updateEvents", "()V"))
        .startsWith("ALOAD 0", "INVOKESTATIC io/boxer/agent/bootstrap/BoxerHooks.interestOps");
    // setConnected's own try/finally (a synchronized block) starts at its first instruction, after the hook
    assertThat(firstInstructions(rewritten, "setConnected", "()V").stream().filter(i -> !i.startsWith("TRY")).toList())
        .startsWith("ALOAD 0", "INVOKESTATIC io/boxer/agent/bootstrap/BoxerHooks.beforeConnected");
  }

  @Test
  void rewrite_missingMethod_namesIt() {
    byte[] onlyConnect = synthetic(false);
    assertThatThrownBy(() -> NetInstrumentation.rewrite(onlyConnect))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("bind" + NetInstrumentation.BIND_DESC)
        .hasMessageNotContaining("connect(");
  }

  /** Runs rewritten code: bind's original entry is a loop head, so it already has a stack map frame there. */
  @Test
  void rewrittenMethods_callTheHookWithTheArguments_connectFailureReachesTheCaller() throws Exception {
    Class<?> net = new OneClassLoader("test.Net", NetInstrumentation.rewrite(synthetic(true))).loadClass("test.Net");
    Method connect = net.getDeclaredMethod("connect", ProtocolFamily.class, FileDescriptor.class,
        InetAddress.class, int.class);
    Method bind = net.getDeclaredMethod("bind", ProtocolFamily.class, FileDescriptor.class, InetAddress.class,
        int.class);
    List<String> calls = new ArrayList<>();
    int[] pollAnswer = {-1};
    InetAddress member = InetAddress.getByName("198.18.0.42");
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    BoxerHooks.install(new SocketHook() {
      @Override
      public boolean interceptsConnect(InetAddress address) {
        return true;
      }

      @Override
      public InetAddress beforeConnect(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port)
          throws ConnectException {
        calls.add("connect " + family + " " + address.getHostAddress() + ":" + port);
        if (port == 1) {
          throw new ConnectException("Connection refused");
        }
        return port == 5000 ? loopback : port == 7 ? BoxerHooks.DEFERRED_CONNECT : address;
      }

      @Override
      public int pollConnect(FileDescriptor fd) {
        calls.add("poll");
        return pollAnswer[0];
      }

      @Override
      public InetAddress beforeBind(ProtocolFamily family, FileDescriptor fd, InetAddress address, int port) {
        calls.add("bind " + family + " " + address.getHostAddress() + ":" + port);
        throw new IllegalStateException("a failing bind hook must not fail the bind");
      }
    });

    assertThat(connect.invoke(null, StandardProtocolFamily.INET, new FileDescriptor(), member, 4000)).isEqualTo(42);
    // the address the hook returns is the one the original code uses
    assertThat(connect.invoke(null, StandardProtocolFamily.INET, new FileDescriptor(), member, 5000)).isEqualTo(1);
    assertThatThrownBy(() -> connect.invoke(null, StandardProtocolFamily.INET, new FileDescriptor(), member, 1))
        .isInstanceOf(InvocationTargetException.class).cause().isInstanceOf(ConnectException.class)
        .hasMessage("Connection refused");
    // a deferred connect returns IOStatus.UNAVAILABLE ("in progress") without running the original code
    assertThat(connect.invoke(null, StandardProtocolFamily.INET, new FileDescriptor(), member, 7)).isEqualTo(-2);
    bind.invoke(null, StandardProtocolFamily.INET6, new FileDescriptor(), member, 3);
    Method poll = net.getDeclaredMethod("pollConnectNow", FileDescriptor.class);
    assertThat(poll.invoke(null, new FileDescriptor())).isEqualTo(true); // -1: the original answers
    pollAnswer[0] = 0;
    assertThat(poll.invoke(null, new FileDescriptor())).isEqualTo(false); // 0: the hook's "not yet"
    assertThat(calls).containsExactly("connect INET 198.18.0.42:4000", "connect INET 198.18.0.42:5000",
        "connect INET 198.18.0.42:1", "connect INET 198.18.0.42:7", "bind INET6 198.18.0.42:3", "poll", "poll");
  }

  /** The first instructions of a method, as "OPCODE operand" strings; a try block starting there is "TRY type". */
  private static List<String> firstInstructions(byte[] classFile, String name, String descriptor) {
    List<String> out = new ArrayList<>();
    new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(int access, String n, String d, String s, String[] e) {
        if (!n.equals(name) || !d.equals(descriptor)) {
          return null;
        }
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
            if (out.isEmpty()) {
              out.add("TRY " + type);
            }
          }

          @Override
          public void visitVarInsn(int opcode, int var) {
            out.add((opcode == Opcodes.ALOAD ? "ALOAD " : opcode == Opcodes.ILOAD ? "ILOAD " : opcode + " ") + var);
          }

          @Override
          public void visitMethodInsn(int opcode, String owner, String n, String d, boolean itf) {
            out.add((opcode == Opcodes.INVOKESTATIC ? "INVOKESTATIC " : opcode + " ") + owner + "." + n);
          }
        };
      }
    }, 0);
    return out.subList(0, Math.min(6, out.size()));
  }

  /**
   * A class test.Net with {@code static int connect(...)} returning its address's last byte and, if {@code withBind}, a
   * {@code static void bind(...)} whose first instruction is the head of a loop counting arg 3 down to 0.
   */
  private static byte[] synthetic(boolean withBind) {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, "test/Net", null, "java/lang/Object", null);
    MethodVisitor connect = cw.visitMethod(Opcodes.ACC_STATIC | Opcodes.ACC_PUBLIC, "connect",
        NetInstrumentation.CONNECT_DESC, null, new String[] {"java/io/IOException"});
    connect.visitCode();
    // returns the last byte of the address it was called with, so a test sees what the hook rewrote
    connect.visitVarInsn(Opcodes.ALOAD, 2);
    connect.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/net/InetAddress", "getAddress", "()[B", false);
    connect.visitInsn(Opcodes.ICONST_3);
    connect.visitInsn(Opcodes.BALOAD);
    connect.visitInsn(Opcodes.IRETURN);
    connect.visitMaxs(0, 0);
    connect.visitEnd();
    if (withBind) {
      MethodVisitor poll = cw.visitMethod(Opcodes.ACC_STATIC | Opcodes.ACC_PUBLIC, "pollConnectNow",
          NetInstrumentation.POLL_CONNECT_DESC, null, new String[] {"java/io/IOException"});
      poll.visitCode();
      poll.visitInsn(Opcodes.ICONST_1); // "connected", unless the hook answers first
      poll.visitInsn(Opcodes.IRETURN);
      poll.visitMaxs(0, 0);
      poll.visitEnd();
      MethodVisitor bind = cw.visitMethod(Opcodes.ACC_STATIC | Opcodes.ACC_PUBLIC, "bind",
          NetInstrumentation.BIND_DESC, null, null);
      bind.visitCode();
      Label head = new Label();
      Label done = new Label();
      bind.visitLabel(head);
      bind.visitVarInsn(Opcodes.ILOAD, 3);
      bind.visitJumpInsn(Opcodes.IFLE, done);
      bind.visitIincInsn(3, -1);
      bind.visitJumpInsn(Opcodes.GOTO, head);
      bind.visitLabel(done);
      bind.visitInsn(Opcodes.RETURN);
      bind.visitMaxs(0, 0);
      bind.visitEnd();
    }
    cw.visitEnd();
    return cw.toByteArray();
  }

  /** Defines one class from bytes (so it is verified: not the boot loader); delegates everything else. */
  private static final class OneClassLoader extends ClassLoader {
    private final String name;
    private final byte[] bytes;

    OneClassLoader(String name, byte[] bytes) {
      super(NetInstrumentationTest.class.getClassLoader());
      this.name = name;
      this.bytes = bytes;
    }

    @Override
    protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
      if (className.equals(name)) {
        synchronized (getClassLoadingLock(className)) {
          Class<?> c = findLoadedClass(className);
          return c != null ? c : defineClass(className, bytes, 0, bytes.length);
        }
      }
      return super.loadClass(className, resolve);
    }
  }
}
