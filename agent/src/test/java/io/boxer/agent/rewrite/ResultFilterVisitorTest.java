package io.boxer.agent.rewrite;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/** Runs rewritten code (defined by a plain class loader, so the verifier checks it); public for its hooks. */
public class ResultFilterVisitorTest {

  private static final String SELF = Type.getInternalName(ResultFilterVisitorTest.class);
  static final List<String> SEEN = new CopyOnWriteArrayList<>();

  /** The hook of {@link #afterCall_passesArgumentAndResult_andItsAnswerReplacesTheResult}. */
  public static String lookupHook(String argument, String result) {
    SEEN.add(argument + "->" + result);
    return result + "!";
  }

  /** The hook of {@link #beforeReturn_everyReturnPathGoesThroughTheHook}. */
  public static String returnHook(String result) {
    SEEN.add(result);
    return "[" + result + "]";
  }

  @Test
  void afterCall_passesArgumentAndResult_andItsAnswerReplacesTheResult() throws Exception {
    SEEN.clear();
    Set<String> filtered = new HashSet<>();
    byte[] rewritten = rewrite(sample(), (mv, name) -> ResultFilterVisitor.afterCall(mv, "test/Sample", "find",
        "(Ljava/lang/String;)Ljava/lang/String;", true, SELF, "lookupHook",
        "(Ljava/lang/String;Ljava/lang/String;)Ljava/lang/String;", filtered));

    Method lookup = load(rewritten).getDeclaredMethod("lookup", String.class);
    assertThat(lookup.invoke(null, "eth0")).isEqualTo("found eth0!");
    assertThat(SEEN).containsExactly("eth0->found eth0");
    assertThat(filtered).containsExactly("find(Ljava/lang/String;)Ljava/lang/String;");
  }

  @Test
  void beforeReturn_everyReturnPathGoesThroughTheHook() throws Exception {
    SEEN.clear();
    byte[] rewritten = rewrite(sample(), (mv, name) -> name.equals("choose")
        ? ResultFilterVisitor.beforeReturn(mv, SELF, "returnHook", "(Ljava/lang/String;)Ljava/lang/String;")
        : mv);

    Method choose = load(rewritten).getDeclaredMethod("choose", boolean.class);
    assertThat(choose.invoke(null, true)).isEqualTo("[yes]");
    assertThat(choose.invoke(null, false)).isEqualTo("[no]");
    assertThat(SEEN).containsExactly("yes", "no");
  }

  private interface Wrap {
    MethodVisitor wrap(MethodVisitor mv, String name);
  }

  private static byte[] rewrite(byte[] classFile, Wrap wrap) {
    ClassReader reader = new ClassReader(classFile);
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
    reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
      @Override
      public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
          String[] exceptions) {
        return wrap.wrap(super.visitMethod(access, name, descriptor, signature, exceptions), name);
      }
    }, ClassReader.EXPAND_FRAMES);
    return writer.toByteArray();
  }

  /**
   * test.Sample: {@code static String find(String n) { return "found " + n; }} (a stand-in for a native),
   * {@code static String lookup(String n) { return find(n); }} and
   * {@code static String choose(boolean b) { if (b) return "yes"; return "no"; }} (two returns, a branch).
   */
  private static byte[] sample() {
    ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
    cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_FINAL, "test/Sample", null, "java/lang/Object", null);
    MethodVisitor find = cw.visitMethod(Opcodes.ACC_STATIC | Opcodes.ACC_PRIVATE, "find",
        "(Ljava/lang/String;)Ljava/lang/String;", null, null);
    find.visitCode();
    find.visitLdcInsn("found ");
    find.visitVarInsn(Opcodes.ALOAD, 0);
    find.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/lang/String", "concat",
        "(Ljava/lang/String;)Ljava/lang/String;", false);
    find.visitInsn(Opcodes.ARETURN);
    find.visitMaxs(0, 0);
    find.visitEnd();
    MethodVisitor lookup = cw.visitMethod(Opcodes.ACC_STATIC | Opcodes.ACC_PUBLIC, "lookup",
        "(Ljava/lang/String;)Ljava/lang/String;", null, null);
    lookup.visitCode();
    lookup.visitVarInsn(Opcodes.ALOAD, 0);
    lookup.visitMethodInsn(Opcodes.INVOKESTATIC, "test/Sample", "find", "(Ljava/lang/String;)Ljava/lang/String;",
        false);
    lookup.visitInsn(Opcodes.ARETURN);
    lookup.visitMaxs(0, 0);
    lookup.visitEnd();
    MethodVisitor choose = cw.visitMethod(Opcodes.ACC_STATIC | Opcodes.ACC_PUBLIC, "choose",
        "(Z)Ljava/lang/String;", null, null);
    choose.visitCode();
    Label no = new Label();
    choose.visitVarInsn(Opcodes.ILOAD, 0);
    choose.visitJumpInsn(Opcodes.IFEQ, no);
    choose.visitLdcInsn("yes");
    choose.visitInsn(Opcodes.ARETURN);
    choose.visitLabel(no);
    choose.visitLdcInsn("no");
    choose.visitInsn(Opcodes.ARETURN);
    choose.visitMaxs(0, 0);
    choose.visitEnd();
    cw.visitEnd();
    return cw.toByteArray();
  }

  private static Class<?> load(byte[] bytes) throws ClassNotFoundException {
    return new ClassLoader(ResultFilterVisitorTest.class.getClassLoader()) {
      @Override
      protected Class<?> findClass(String name) throws ClassNotFoundException {
        if (!name.equals("test.Sample")) {
          throw new ClassNotFoundException(name);
        }
        return defineClass(name, bytes, 0, bytes.length);
      }
    }.loadClass("test.Sample");
  }
}
