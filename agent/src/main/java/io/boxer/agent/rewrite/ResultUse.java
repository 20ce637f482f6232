package io.boxer.agent.rewrite;

import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * What the hooked method does with an entry hook's result; each use fixes the hook's return type and writes the
 * instructions (and the stack map frames of their branches) that follow the hook call.
 */
public enum ResultUse {

  /** {@code hook(...);}: the hook returns nothing. */
  DISCARD {
    @Override
    Type hookReturnType(HookedMethod method, EntryHook hook) {
      return Type.VOID_TYPE;
    }

    @Override
    boolean writeAfterCall(MethodVisitor mv, HookedMethod method, EntryHook hook) {
      return false;
    }
  },

  /** {@code param = hook(...);}: the hook returns a replacement for one of the parameters. */
  STORE {
    @Override
    Type hookReturnType(HookedMethod method, EntryHook hook) {
      return storedType(method, hook);
    }

    @Override
    boolean writeAfterCall(MethodVisitor mv, HookedMethod method, EntryHook hook) {
      store(mv, method, hook);
      return false;
    }
  },

  /**
   * {@code int r = hook(...); if (r >= 0) return r;} in a method returning int or boolean: the hook returns -1 to
   * run the original code.
   */
  RETURN_IF_NON_NEGATIVE {
    @Override
    Type hookReturnType(HookedMethod method, EntryHook hook) {
      if (!HookedMethod.isIntLike(method.returnType())) {
        throw new IllegalArgumentException(this + " needs a method returning int or boolean, not "
            + method.returnType());
      }
      return Type.INT_TYPE;
    }

    @Override
    boolean writeAfterCall(MethodVisitor mv, HookedMethod method, EntryHook hook) {
      Label proceed = new Label();
      mv.visitInsn(Opcodes.DUP);
      mv.visitJumpInsn(Opcodes.IFLT, proceed);
      mv.visitInsn(Opcodes.IRETURN);
      mv.visitLabel(proceed);
      Object[] locals = method.entryLocals();
      mv.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {Opcodes.INTEGER});
      mv.visitInsn(Opcodes.POP);
      return false;
    }
  },

  /** {@code if (hook(...) >= 0) return;} in a void method: the hook decides to skip the method. */
  SKIP_IF_NON_NEGATIVE {
    @Override
    Type hookReturnType(HookedMethod method, EntryHook hook) {
      if (method.returnType().getSort() != Type.VOID) {
        throw new IllegalArgumentException(this + " needs a void method, not one returning " + method.returnType());
      }
      return Type.INT_TYPE;
    }

    @Override
    boolean writeAfterCall(MethodVisitor mv, HookedMethod method, EntryHook hook) {
      Label proceed = new Label();
      mv.visitJumpInsn(Opcodes.IFLT, proceed);
      mv.visitInsn(Opcodes.RETURN);
      mv.visitLabel(proceed);
      return true; // the frame (arguments, empty stack) goes before the original first instruction
    }
  },

  /**
   * {@code r = hook(...); if (r == Hooks.SENTINEL) return CONSTANT; param = r;} in a method returning int or
   * boolean: the hook either replaces a parameter or decides the method's result (sentinel field of the hook's
   * class, of the parameter's type).
   */
  STORE_OR_RETURN {
    @Override
    Type hookReturnType(HookedMethod method, EntryHook hook) {
      Type stored = storedType(method, hook);
      if (stored.getSort() != Type.OBJECT) {
        throw new IllegalArgumentException(this + " compares a reference with its sentinel, not a " + stored);
      }
      if (!HookedMethod.isIntLike(method.returnType())) {
        throw new IllegalArgumentException(this + " needs a method returning int or boolean, not "
            + method.returnType());
      }
      return stored;
    }

    @Override
    boolean writeAfterCall(MethodVisitor mv, HookedMethod method, EntryHook hook) {
      Type stored = method.parameterType(hook.resultParameter());
      Label proceed = new Label();
      mv.visitInsn(Opcodes.DUP);
      mv.visitFieldInsn(Opcodes.GETSTATIC, hook.hookClass(), hook.sentinelField(), stored.getDescriptor());
      mv.visitJumpInsn(Opcodes.IF_ACMPNE, proceed);
      mv.visitInsn(Opcodes.POP);
      mv.visitLdcInsn(hook.returnConstant());
      mv.visitInsn(Opcodes.IRETURN);
      mv.visitLabel(proceed);
      Object[] locals = method.entryLocals();
      mv.visitFrame(Opcodes.F_NEW, locals.length, locals, 1, new Object[] {stored.getInternalName()});
      store(mv, method, hook);
      return false;
    }
  };

  /**
   * The return type of the hook's descriptor.
   *
   * @throws IllegalArgumentException when this use does not fit the hooked method
   */
  abstract Type hookReturnType(HookedMethod method, EntryHook hook);

  /**
   * Writes what follows the hook call, with the hook's result on the stack.
   *
   * @return whether the original code's first instruction needs a frame (a branch joins it there)
   */
  abstract boolean writeAfterCall(MethodVisitor mv, HookedMethod method, EntryHook hook);

  /** Whether a Throwable from the hook may be swallowed: only where the method goes on as if it had no hook. */
  boolean canSwallow() {
    return this == DISCARD || this == STORE;
  }

  private static Type storedType(HookedMethod method, EntryHook hook) {
    int index = hook.resultParameter();
    if (index < 0 || index >= method.parameterCount()) {
      throw new IllegalArgumentException("result parameter " + index + " (expected: < "
          + method.parameterCount() + ", the hooked method's parameter count)");
    }
    return method.parameterType(index);
  }

  private static void store(MethodVisitor mv, HookedMethod method, EntryHook hook) {
    int index = hook.resultParameter();
    mv.visitVarInsn(method.parameterType(index).getOpcode(Opcodes.ISTORE), method.slotOf(index));
  }
}
