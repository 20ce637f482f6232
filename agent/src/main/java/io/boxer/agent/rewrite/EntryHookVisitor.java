package io.boxer.agent.rewrite;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Inserts an {@link EntryHook}'s call at a method's entry, before the original first instruction, and writes the
 * stack map frames of the inserted branches by hand (locals = the method's receiver and parameters), so rewriting
 * never needs ASM to load classes. Requires a reader run with {@code EXPAND_FRAMES}. Made by
 * {@link EntryHook#at}.
 */
final class EntryHookVisitor extends MethodVisitor {

  private final HookedMethod method;
  private final EntryHook hook;
  private final String hookDescriptor;
  /** Set when the original code's first instruction still needs the merge frame of the inserted branches. */
  private boolean mergeFramePending;

  EntryHookVisitor(MethodVisitor mv, HookedMethod method, EntryHook hook, String hookDescriptor) {
    super(Opcodes.ASM9, mv);
    this.method = method;
    this.hook = hook;
    this.hookDescriptor = hookDescriptor;
  }

  @Override
  public void visitCode() {
    super.visitCode();
    Label start = new Label();
    Label end = new Label();
    Label handler = new Label();
    Label original = new Label();
    boolean swallow = hook.swallowsThrowables();
    if (swallow) {
      super.visitTryCatchBlock(start, end, handler, "java/lang/Throwable");
    }
    super.visitLabel(start);
    // straight to the delegate: these are not original instructions
    for (HookArg arg : hook.args()) {
      arg.load(mv, method);
    }
    mv.visitMethodInsn(Opcodes.INVOKESTATIC, hook.hookClass(), hook.name(), hookDescriptor, false);
    mergeFramePending = hook.resultUse().writeAfterCall(mv, method, hook);
    super.visitLabel(end);
    if (swallow) {
      super.visitJumpInsn(Opcodes.GOTO, original);
      super.visitLabel(handler);
      Object[] locals = method.entryLocals();
      super.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {"java/lang/Throwable"});
      super.visitInsn(Opcodes.POP);
      super.visitLabel(original);
      mergeFramePending = true;
    }
  }

  /** Writes the merge frame before the original first instruction, unless the original code has one there. */
  private void beforeOriginalInstruction() {
    if (mergeFramePending) {
      mergeFramePending = false;
      Object[] locals = method.entryLocals();
      super.visitFrame(Opcodes.F_NEW, locals.length, locals, 0, new Object[0]);
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
