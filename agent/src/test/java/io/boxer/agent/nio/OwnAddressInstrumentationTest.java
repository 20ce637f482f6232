package io.boxer.agent.nio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The rewrites of the real {@code java.net.NetworkInterface} and {@code java.net.InetAddress} of the JDK running
 * the test. A copy of a java.* class cannot be defined outside the boot loader; AgentIT runs (and verifies) the
 * real rewrite on JDK 17 and 25.
 */
class OwnAddressInstrumentationTest {

  private static final String HOOKS = "io/boxer/agent/bootstrap/OwnAddressHooks.";

  @Test
  void networkInterfaceRewrite_everyNativeLookupIsFollowedByItsHook() throws Exception {
    byte[] rewritten = NetworkInterfaceInstrumentation.rewrite(jdkClass("java/net/NetworkInterface"));

    assertThat(calls(rewritten, "getNetworkInterfaces", "()Ljava/util/Enumeration;"))
        .containsSequence("java/net/NetworkInterface.getAll", HOOKS + "allInterfaces");
    assertThat(calls(rewritten, "networkInterfaces", "()Ljava/util/stream/Stream;"))
        .containsSequence("java/net/NetworkInterface.getAll", HOOKS + "allInterfaces");
    assertThat(calls(rewritten, "getByName", "(Ljava/lang/String;)Ljava/net/NetworkInterface;"))
        .containsSequence("DUP", "java/net/NetworkInterface.getByName0", HOOKS + "interfaceNamed");
    assertThat(calls(rewritten, "getByIndex", "(I)Ljava/net/NetworkInterface;"))
        .containsSequence("DUP", "java/net/NetworkInterface.getByIndex0", HOOKS + "interfaceIndexed");
    assertThat(calls(rewritten, "getByInetAddress", "(Ljava/net/InetAddress;)Ljava/net/NetworkInterface;"))
        .containsSequence("DUP", "java/net/NetworkInterface.getByInetAddress0", HOOKS + "interfaceWith");
    assertThat(calls(rewritten, "isBoundInetAddress", "(Ljava/net/InetAddress;)Z"))
        .containsSequence("DUP", "java/net/NetworkInterface.boundInetAddress0", HOOKS + "isBound");
    // the instance methods read the fields the hook fills in: untouched
    assertThat(calls(rewritten, "getInterfaceAddresses", "()Ljava/util/List;")).noneMatch(c -> c.startsWith(HOOKS));
  }

  @Test
  void localHostRewrite_everyReturnOfGetLocalHostGoesThroughTheHook() throws Exception {
    byte[] original = jdkClass("java/net/InetAddress");
    byte[] rewritten = LocalHostInstrumentation.rewrite(original);

    List<String> calls = calls(rewritten, "getLocalHost", LocalHostInstrumentation.LOCAL_HOST_DESC);
    long returns = calls(original, "getLocalHost", LocalHostInstrumentation.LOCAL_HOST_DESC).stream()
        .filter("ARETURN"::equals).count();
    assertThat(returns).isPositive();
    List<String> beforeReturns = new ArrayList<>();
    for (int i = 1; i < calls.size(); i++) {
      if (calls.get(i).equals("ARETURN")) {
        beforeReturns.add(calls.get(i - 1));
      }
    }
    assertThat(beforeReturns).hasSize((int) returns).containsOnly(HOOKS + "localHost");
    // other methods returning an address are untouched
    assertThat(calls(rewritten, "getLoopbackAddress", LocalHostInstrumentation.LOCAL_HOST_DESC))
        .noneMatch(c -> c.startsWith(HOOKS));
  }

  @Test
  void networkInterfaceRewrite_classWithoutTheNatives_namesThem() {
    ClassWriter cw = new ClassWriter(0);
    cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "java/net/NetworkInterface", null, "java/lang/Object", null);
    cw.visitEnd();
    assertThatThrownBy(() -> NetworkInterfaceInstrumentation.rewrite(cw.toByteArray()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("getAll()[Ljava/net/NetworkInterface;")
        .hasMessageContaining("boundInetAddress0(Ljava/net/InetAddress;)Z");
  }

  @Test
  void localHostRewrite_classWithoutGetLocalHost_namesIt() {
    ClassWriter cw = new ClassWriter(0);
    cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "java/net/InetAddress", null, "java/lang/Object", null);
    cw.visitEnd();
    assertThatThrownBy(() -> LocalHostInstrumentation.rewrite(cw.toByteArray()))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("getLocalHost()");
  }

  private static byte[] jdkClass(String internalName) throws Exception {
    try (InputStream in = Object.class.getModule().getResourceAsStream(internalName + ".class")) {
      return in.readAllBytes();
    }
  }

  /** A method's calls ("owner.name"), DUPs and ARETURNs, in order. */
  private static List<String> calls(byte[] classFile, String name, String descriptor) {
    List<String> out = new ArrayList<>();
    new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
      @Override
      public MethodVisitor visitMethod(int access, String n, String d, String s, String[] e) {
        if (!n.equals(name) || !d.equals(descriptor)) {
          return null;
        }
        return new MethodVisitor(Opcodes.ASM9) {
          @Override
          public void visitInsn(int opcode) {
            if (opcode == Opcodes.DUP) {
              out.add("DUP");
            } else if (opcode == Opcodes.ARETURN) {
              out.add("ARETURN");
            }
          }

          @Override
          public void visitMethodInsn(int opcode, String owner, String n, String d, boolean itf) {
            out.add(owner + "." + n);
          }
        };
      }
    }, 0);
    return out;
  }
}
