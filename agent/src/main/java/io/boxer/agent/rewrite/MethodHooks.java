package io.boxer.agent.rewrite;

import java.util.Set;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Where a transformer inserts its hooks into a class: one visitor per hooked method, and the rewrite that
 * applies them, shared by every transformer of the agent (the JDK's classes and Netty's). ASM with
 * {@code COMPUTE_MAXS} only (no class is loaded or resolved while rewriting) and expanded frames, as
 * {@link EntryHook#at} requires. Subclassed by plain (anonymous) classes, not lambdas: transformers run while
 * classes load. Thread-safe if the subclass is (the usual ones are stateless).
 */
public abstract class MethodHooks {

  /**
   * The hooking visitor for method {@code name descriptor} wrapping {@code mv}, or null to leave the method as it
   * is.
   *
   * @param owner the internal name of the class being rewritten
   */
  protected abstract MethodVisitor hook(MethodVisitor mv, String owner, int access, String name, String descriptor);

  /**
   * {@code classFile} with the hooks applied to its methods.
   *
   * @param hooked receives {@code name + descriptor} of every method that was hooked
   */
  public final byte[] apply(byte[] classFile, Set<String> hooked) {
    ClassReader reader = new ClassReader(classFile);
    String owner = reader.getClassName();
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
          String[] exceptions) {
        MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
        MethodVisitor hooking = hook(mv, owner, access, name, descriptor);
        if (hooking == null) {
          return mv;
        }
        hooked.add(name + descriptor);
        return hooking;
      }
    }, ClassReader.EXPAND_FRAMES);
    return writer.toByteArray();
  }
}
