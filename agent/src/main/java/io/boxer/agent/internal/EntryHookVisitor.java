package io.boxer.agent.internal;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Inserts a hook call at a method's entry, before the original first instruction. The call is described as
 * data: argument loads, the static hook, and what happens with its result ({@link #DISCARD},
 * {@link #STORE}, {@link #RETURN_IF_NON_NEGATIVE}, {@link #SKIP_IF_NON_NEGATIVE}, {@link #STORE_OR_RETURN}); a
 * hook may be wrapped in a
 * {@code try/catch (Throwable)} that swallows whatever it throws. This class writes the stack map frames of the
 * inserted branches by hand (locals = the method's arguments), so rewriting never needs ASM to load classes.
 * Requires a reader run with {@code EXPAND_FRAMES}. Shared by the transformers of {@code sun.nio.ch.Net},
 * {@code sun.nio.ch.SocketChannelImpl} and Netty's native sockets.
 */
public final class EntryHookVisitor extends MethodVisitor {

  /** The hook returns nothing (or its result is popped). */
  public static final int DISCARD = 0;
  /** {@code arg[slot] = hook(...)}: the hook returns a replacement for an argument. */
  public static final int STORE = 1;
  /** {@code int r = hook(...); if (r >= 0) return r;} for methods returning int or boolean. */
  public static final int RETURN_IF_NON_NEGATIVE = 2;
  /** {@code if (hook(...) >= 0) return;} for void methods: the hook decides to skip the method. */
  public static final int SKIP_IF_NON_NEGATIVE = 4;
  /**
   * {@code Object r = hook(...); if (r == SENTINEL) return CONSTANT; arg[slot] = r;} for int methods whose hook
   * may decide the method's result instead of the original code.
   */
  public static final int STORE_OR_RETURN = 3;

  private final Object[] argLocals;
  private final int[] loads;
  private final String owner;
  private final String hook;
  private final String hookDescriptor;
  private final int resultUse;
  private final int storeSlot;
  private final boolean swallow;
  private final String sentinelField;
  private final String sentinelDescriptor;
  private final int returnConstant;
  /** Set when the original code's first instruction still needs the merge frame of the handler. */
  private boolean mergeFramePending;

  /**
   * Inserts {@code slot[storeSlot] = owner.hook(loads...)} ({@link #STORE}). Plain data, no lambdas:
   * transformers run while classes load, and a lambda's first use would load more classes there.
   *
   * @param argLocals the frame types of the method's arguments (this first for an instance method)
   * @param loads pairs of (load opcode, slot) pushing the hook's arguments, e.g. {ALOAD, 0, ILOAD, 3}; a
   *     constant is (opcode, -1), e.g. {ICONST_0, -1}
   * @param storeSlot the argument slot the hook's result is stored back into
   * @param swallow whether a Throwable from the hook call is caught and dropped
   */
  public EntryHookVisitor(MethodVisitor mv, Object[] argLocals, int[] loads, String owner, String hook,
      String hookDescriptor, int storeSlot, boolean swallow) {
    this(mv, argLocals, loads, owner, hook, hookDescriptor, STORE, storeSlot, swallow, null, null, 0);
  }

  private EntryHookVisitor(MethodVisitor mv, Object[] argLocals, int[] loads, String owner, String hook,
      String hookDescriptor, int resultUse, int storeSlot, boolean swallow, String sentinelField,
      String sentinelDescriptor, int returnConstant) {
    super(Opcodes.ASM9, mv);
    if (swallow && resultUse != DISCARD && resultUse != STORE) {
      throw new IllegalArgumentException("only a hook whose result is discarded or stored can be swallowed");
    }
    this.argLocals = argLocals.clone();
    this.loads = loads.clone();
    this.owner = owner;
    this.hook = hook;
    this.hookDescriptor = hookDescriptor;
    this.resultUse = resultUse;
    this.storeSlot = storeSlot;
    this.swallow = swallow;
    this.sentinelField = sentinelField;
    this.sentinelDescriptor = sentinelDescriptor;
    this.returnConstant = returnConstant;
  }

  /** {@code owner.hook(loads...)}, its result (if any) dropped; with {@code swallow}, so is any Throwable. */
  public static EntryHookVisitor discarding(MethodVisitor mv, Object[] argLocals, int[] loads, String owner,
      String hook, String hookDescriptor, boolean swallow) {
    return new EntryHookVisitor(mv, argLocals, loads, owner, hook, hookDescriptor, DISCARD, -1, swallow, null,
        null, 0);
  }

  /** {@code int r = owner.hook(loads...); if (r >= 0) return r;}: the hook returns -1 to run the original. */
  public static EntryHookVisitor returningIfNonNegative(MethodVisitor mv, Object[] argLocals, int[] loads,
      String owner, String hook, String hookDescriptor) {
    return new EntryHookVisitor(mv, argLocals, loads, owner, hook, hookDescriptor, RETURN_IF_NON_NEGATIVE, -1,
        false, null, null, 0);
  }

  /** {@code if (owner.hook(loads...) >= 0) return;} at the entry of a void method. */
  public static EntryHookVisitor skippingIfNonNegative(MethodVisitor mv, Object[] argLocals, int[] loads,
      String owner, String hook, String hookDescriptor) {
    return new EntryHookVisitor(mv, argLocals, loads, owner, hook, hookDescriptor, SKIP_IF_NON_NEGATIVE, -1,
        false, null, null, 0);
  }

  /**
   * {@code r = owner.hook(loads...); if (r == owner.sentinelField) return returnConstant; slot[storeSlot] = r;}
   * for a method returning int.
   */
  public static EntryHookVisitor storingOrReturning(MethodVisitor mv, Object[] argLocals, int[] loads,
      String owner, String hook, String hookDescriptor, int storeSlot, String sentinelField,
      String sentinelDescriptor, int returnConstant) {
    return new EntryHookVisitor(mv, argLocals, loads, owner, hook, hookDescriptor, STORE_OR_RETURN, storeSlot,
        false, sentinelField, sentinelDescriptor, returnConstant);
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
    // straight to the delegate: these are not original instructions
    for (int i = 0; i < loads.length; i += 2) {
      if (loads[i + 1] < 0) {
        mv.visitInsn(loads[i]); // a constant, e.g. {ICONST_0, -1}
      } else {
        mv.visitVarInsn(loads[i], loads[i + 1]);
      }
    }
    mv.visitMethodInsn(Opcodes.INVOKESTATIC, owner, hook, hookDescriptor, false);
    switch (resultUse) {
      case STORE -> mv.visitVarInsn(Opcodes.ASTORE, storeSlot);
      case RETURN_IF_NON_NEGATIVE -> {
        Label proceed = new Label();
        mv.visitInsn(Opcodes.DUP);
        mv.visitJumpInsn(Opcodes.IFLT, proceed);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitLabel(proceed);
        mv.visitFrame(Opcodes.F_NEW, argLocals.length, argLocals, 1, new Object[] {Opcodes.INTEGER});
        mv.visitInsn(Opcodes.POP);
      }
      case SKIP_IF_NON_NEGATIVE -> {
        Label proceed = new Label();
        mv.visitJumpInsn(Opcodes.IFLT, proceed);
        mv.visitInsn(Opcodes.RETURN);
        mv.visitLabel(proceed);
        mergeFramePending = true; // the frame (arguments, empty stack) goes before the original first instruction
      }
      case STORE_OR_RETURN -> {
        Label proceed = new Label();
        mv.visitInsn(Opcodes.DUP);
        mv.visitFieldInsn(Opcodes.GETSTATIC, owner, sentinelField, sentinelDescriptor);
        mv.visitJumpInsn(Opcodes.IF_ACMPNE, proceed);
        mv.visitInsn(Opcodes.POP);
        mv.visitLdcInsn(returnConstant);
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitLabel(proceed);
        String type = sentinelDescriptor.substring(1, sentinelDescriptor.length() - 1);
        mv.visitFrame(Opcodes.F_NEW, argLocals.length, argLocals, 1, new Object[] {type});
        mv.visitVarInsn(Opcodes.ASTORE, storeSlot);
      }
      default -> {
        if (!hookDescriptor.endsWith(")V")) {
          mv.visitInsn(hookDescriptor.endsWith(")J") || hookDescriptor.endsWith(")D") ? Opcodes.POP2 : Opcodes.POP);
        }
      }
    }
    super.visitLabel(end);
    if (swallow) {
      super.visitJumpInsn(Opcodes.GOTO, original);
      super.visitLabel(handler);
      super.visitFrame(Opcodes.F_NEW, argLocals.length, argLocals, 1, new Object[] {"java/lang/Throwable"});
      super.visitInsn(Opcodes.POP);
      super.visitLabel(original);
      mergeFramePending = true;
    }
  }

  /** Writes the merge frame before the original first instruction, unless the original code has one there. */
  private void beforeOriginalInstruction() {
    if (mergeFramePending) {
      mergeFramePending = false;
      super.visitFrame(Opcodes.F_NEW, argLocals.length, argLocals, 0, new Object[0]);
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
