package io.boxer.agent.nio;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A transformer of one JDK class (boot loader only), by internal name: the guard, the bookkeeping and the
 * "never throw into the JVM" rule that every JDK instrumentation of the agent shares, and the method-by-method
 * rewrite they all use ({@link #rewriteMethods}). Subclasses supply the hooks. Thread-safe for the JVM's calls
 * (the result fields are volatile).
 */
abstract class JdkClassTransformer implements ClassFileTransformer {
  private final String targetInternal;
  private volatile boolean transformed;
  private volatile String error;

  JdkClassTransformer(String targetInternal) {
    this.targetInternal = targetInternal;
  }

  /** The class's bytes, rewritten; throws when the class does not have the expected shape. */
  abstract byte[] rewriteTarget(byte[] classFile);

  /** Called once when the rewrite fails (the class then loads unchanged); by default records it only. */
  void failed(Throwable t) {}

  /** Whether the JVM handed the class to this transformer and it was rewritten. */
  public final boolean transformed() {
    return transformed;
  }

  /** Why the class could not be rewritten, or null. */
  public final String error() {
    return error;
  }

  @Override
  public final byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain, byte[] classfileBuffer) {
    if (loader != null || !targetInternal.equals(className)) {
      return null;
    }
    try {
      byte[] rewritten = rewriteTarget(classfileBuffer);
      transformed = true;
      return rewritten;
    } catch (Throwable t) {
      error = t.toString();
      failed(t);
      return null;
    }
  }

  /** Where a transformer inserts its hooks: one visitor per hooked method. A plain subclass, not a lambda. */
  abstract static class MethodHooks {
    /** The hooking visitor for method {@code name descriptor} wrapping {@code mv}, or null to leave it as is. */
    abstract MethodVisitor hook(MethodVisitor mv, int access, String name, String descriptor);
  }

  /**
   * {@code classFile} with {@code hooks} applied to its methods. ASM with {@code COMPUTE_MAXS} only (no class is
   * loaded or resolved while rewriting) and expanded frames, as {@code EntryHookVisitor} requires.
   *
   * @param expected every method that must be hooked, as name + descriptor
   * @throws IllegalStateException naming the expected methods the class does not have
   */
  static byte[] rewriteMethods(byte[] classFile, String className, List<String> expected, MethodHooks hooks) {
    ClassReader reader = new ClassReader(classFile);
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    Set<String> found = new HashSet<>();
    reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
          String[] exceptions) {
        MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
        MethodVisitor hooked = hooks.hook(mv, access, name, descriptor);
        if (hooked == null) {
          return mv;
        }
        found.add(name + descriptor);
        return hooked;
      }
    }, ClassReader.EXPAND_FRAMES);
    List<String> missing = new ArrayList<>(expected);
    missing.removeAll(found);
    if (!missing.isEmpty()) {
      throw new IllegalStateException(className + " has no " + String.join(" ", missing));
    }
    return writer.toByteArray();
  }
}
