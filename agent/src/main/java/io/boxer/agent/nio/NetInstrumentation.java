package io.boxer.agent.nio;

import io.boxer.agent.bootstrap.BoxerHooks;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
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
          return new EntryCall(mv, "beforeConnect", false);
        }
        if (name.equals("bind") && descriptor.equals(BIND_DESC)) {
          found[1] = true;
          return new EntryCall(mv, "beforeBind", true);
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

  /** Inserts {@code BoxerHooks.<hook>(arg0..arg3)} at the method entry, optionally swallowing any Throwable. */
  private static final class EntryCall extends MethodVisitor {
    private final String hook;
    private final boolean swallow;
    /** Set when the original code's first instruction still needs the merge frame of the handler. */
    private boolean mergeFramePending;

    EntryCall(MethodVisitor mv, String hook, boolean swallow) {
      super(Opcodes.ASM9, mv);
      this.hook = hook;
      this.swallow = swallow;
    }

    @Override
    public void visitCode() {
      super.visitCode();
      Label start = new Label();
      Label end = new Label();
      Label handler = new Label();
      Label original = new Label();
      if (swallow) {
        super.visitTryCatchBlock(start, end, handler, "java/lang/Throwable");
      }
      super.visitLabel(start);
      super.visitVarInsn(Opcodes.ALOAD, 0);
      super.visitVarInsn(Opcodes.ALOAD, 1);
      super.visitVarInsn(Opcodes.ALOAD, 2);
      super.visitVarInsn(Opcodes.ILOAD, 3);
      super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, hook, HOOK_DESC, false);
      super.visitVarInsn(Opcodes.ASTORE, 2);
      super.visitLabel(end);
      if (swallow) {
        super.visitJumpInsn(Opcodes.GOTO, original);
        super.visitLabel(handler);
        super.visitFrame(Opcodes.F_NEW, ARG_LOCALS.length, ARG_LOCALS, 1, new Object[] {"java/lang/Throwable"});
        super.visitInsn(Opcodes.POP);
        super.visitLabel(original);
        mergeFramePending = true;
      }
    }

    /** Writes the merge frame before the original first instruction, unless the original code has one there. */
    private void beforeOriginalInstruction() {
      if (mergeFramePending) {
        mergeFramePending = false;
        super.visitFrame(Opcodes.F_NEW, ARG_LOCALS.length, ARG_LOCALS, 0, new Object[0]);
      }
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
      mergeFramePending = false; // a frame at the original entry already describes the merge point
      super.visitFrame(type, numLocal, local, numStack, stack);
    }

    @Override
    public void visitInsn(int opcode) {
      beforeOriginalInstruction();
      super.visitInsn(opcode);
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
      beforeOriginalInstruction();
      super.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitVarInsn(int opcode, int varIndex) {
      beforeOriginalInstruction();
      super.visitVarInsn(opcode, varIndex);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
      beforeOriginalInstruction();
      super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
      beforeOriginalInstruction();
      super.visitFieldInsn(opcode, owner, name, descriptor);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
      beforeOriginalInstruction();
      super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, org.objectweb.asm.Handle bootstrap,
        Object... bootstrapArguments) {
      beforeOriginalInstruction();
      super.visitInvokeDynamicInsn(name, descriptor, bootstrap, bootstrapArguments);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
      beforeOriginalInstruction();
      super.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitLdcInsn(Object value) {
      beforeOriginalInstruction();
      super.visitLdcInsn(value);
    }

    @Override
    public void visitIincInsn(int varIndex, int increment) {
      beforeOriginalInstruction();
      super.visitIincInsn(varIndex, increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
      beforeOriginalInstruction();
      super.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
      beforeOriginalInstruction();
      super.visitLookupSwitchInsn(dflt, keys, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
      beforeOriginalInstruction();
      super.visitMultiANewArrayInsn(descriptor, numDimensions);
    }
  }
}
