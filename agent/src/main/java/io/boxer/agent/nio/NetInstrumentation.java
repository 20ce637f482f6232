package io.boxer.agent.nio;

import io.boxer.agent.bootstrap.BoxerHooks;
import io.boxer.agent.internal.EntryHookVisitor;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * The JDK instrumentation of the agent (Netty's native sockets have their own,
 * {@code io.boxer.agent.netty.UnixSocketInstrumentation}): {@code sun.nio.ch.Net}, the methods
 * {@code static int connect(ProtocolFamily, FileDescriptor, InetAddress, int)} and
 * {@code static void bind(ProtocolFamily, FileDescriptor, InetAddress, int)} (the same on JDK 17 and 25; all
 * other connect/bind overloads of Net delegate to these two). At the entry of each it inserts a call of
 * {@link BoxerHooks} (boot class path) with the four arguments:
 * <pre>
 * connect: BoxerHooks.beforeConnect(family, fd, address, port);   // may throw ConnectException to the caller
 * bind:    try { BoxerHooks.beforeBind(family, fd, address, port); } catch (Throwable ignored) {}
 * </pre>
 * Nothing else of the class changes (no fields, no methods, no format changes), so it can be retransformed.
 *
 * <p>The bytes are rewritten with ASM ({@code COMPUTE_MAXS} only: no class is loaded or resolved while
 * rewriting). The two stack map frames the bind handler needs are written by hand: both hold exactly the
 * method's arguments as locals, plus the caught Throwable on the handler's stack.
 *
 * <p>A transformer instance rewrites Net once; use {@link #transformed()} and {@link #error()} afterwards.
 * Thread-safe for the JVM's calls (the result fields are volatile).
 */
public final class NetInstrumentation implements ClassFileTransformer {

  public static final String TARGET = "sun.nio.ch.Net";

  static final String TARGET_INTERNAL = "sun/nio/ch/Net";
  static final String HOOKS = "io/boxer/agent/bootstrap/BoxerHooks";
  static final String ARGS = "(Ljava/net/ProtocolFamily;Ljava/io/FileDescriptor;Ljava/net/InetAddress;I)";
  static final String CONNECT_DESC = ARGS + "I";
  static final String BIND_DESC = ARGS + "V";
  /** The hooks return the address the kernel should use, stored back into the address argument. */
  static final String HOOK_DESC = ARGS + "Ljava/net/InetAddress;";
  private static final Object[] ARG_LOCALS = {
    "java/net/ProtocolFamily", "java/io/FileDescriptor", "java/net/InetAddress", Opcodes.INTEGER
  };

  private volatile boolean transformed;
  private volatile String error;

  /** Whether the JVM handed Net to this transformer and it was rewritten. */
  public boolean transformed() {
    return transformed;
  }

  /** Why Net could not be rewritten, or null. */
  public String error() {
    return error;
  }

  @Override
  public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain, byte[] classfileBuffer) {
    if (loader != null || !TARGET_INTERNAL.equals(className)) {
      return null;
    }
    try {
      byte[] rewritten = rewrite(classfileBuffer);
      transformed = true;
      return rewritten;
    } catch (Throwable t) {
      error = t.toString();
      return null;
    }
  }

  /**
   * The bytes of {@code sun.nio.ch.Net} with both hooks inserted.
   *
   * @throws IllegalStateException when either method is missing (the message says which)
   */
  public static byte[] rewrite(byte[] net) {
    ClassReader reader = new ClassReader(net);
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    boolean[] found = new boolean[2];
    reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
          String[] exceptions) {
        MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
        if ((access & Opcodes.ACC_STATIC) == 0) {
          return mv;
        }
        if (name.equals("connect") && descriptor.equals(CONNECT_DESC)) {
          found[0] = true;
          return entryCall(mv, "beforeConnect", false);
        }
        if (name.equals("bind") && descriptor.equals(BIND_DESC)) {
          found[1] = true;
          return entryCall(mv, "beforeBind", true);
        }
        return mv;
      }
    }, ClassReader.EXPAND_FRAMES);
    if (!found[0] || !found[1]) {
      throw new IllegalStateException(TARGET + " has no static " + (found[0] ? "" : "connect" + CONNECT_DESC + " ")
          + (found[1] ? "" : "bind" + BIND_DESC));
    }
    return writer.toByteArray();
  }

  /** {@code arg2 = BoxerHooks.<hook>(arg0, arg1, arg2, arg3)} at the entry of a Net method. */
  private static EntryHookVisitor entryCall(MethodVisitor mv, String hook, boolean swallow) {
    int[] loads = {Opcodes.ALOAD, 0, Opcodes.ALOAD, 1, Opcodes.ALOAD, 2, Opcodes.ILOAD, 3};
    return new EntryHookVisitor(mv, ARG_LOCALS, loads, HOOKS, hook, HOOK_DESC, 2, swallow);
  }
}
