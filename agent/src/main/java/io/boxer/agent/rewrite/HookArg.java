package io.boxer.agent.rewrite;

import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * One value an entry hook is called with: the hooked method's receiver, one of its parameters, or an int
 * constant. Its load instruction and its type in the hook's descriptor follow from the hooked method's
 * descriptor. Immutable.
 */
public abstract class HookArg {

  private static final Type OBJECT = Type.getObjectType("java/lang/Object");

  /**
   * {@code this}, passed as an {@code Object}: the hooks live on the boot class path and take the JDK's or
   * Netty's classes untyped.
   */
  public static final HookArg RECEIVER = new HookArg() {
    @Override
    Type type(HookedMethod method) {
      return OBJECT;
    }

    @Override
    void load(MethodVisitor mv, HookedMethod method) {
      if (method.isStatic()) {
        throw new IllegalArgumentException("a static method of " + method.owner() + " has no receiver");
      }
      mv.visitVarInsn(Opcodes.ALOAD, 0);
    }
  };

  private HookArg() {}

  /** Parameter {@code index} of the hooked method (0 is the first parameter, not the receiver), as declared. */
  public static HookArg parameter(int index) {
    return new HookArg() {
      @Override
      Type type(HookedMethod method) {
        checkIndex(method);
        return method.parameterType(index);
      }

      @Override
      void load(MethodVisitor mv, HookedMethod method) {
        checkIndex(method);
        mv.visitVarInsn(method.parameterType(index).getOpcode(Opcodes.ILOAD), method.slotOf(index));
      }

      private void checkIndex(HookedMethod method) {
        if (index < 0 || index >= method.parameterCount()) {
          throw new IllegalArgumentException("parameter " + index + " (expected: < " + method.parameterCount()
              + ", the hooked method's parameter count)");
        }
      }
    };
  }

  /** The int constant {@code value}, in {@code -1..5} ({@code iconst_<value>}). */
  public static HookArg intConstant(int value) {
    if (value < -1 || value > 5) {
      throw new IllegalArgumentException("int constant " + value + " (expected: -1..5)");
    }
    return new HookArg() {
      @Override
      Type type(HookedMethod method) {
        return Type.INT_TYPE;
      }

      @Override
      void load(MethodVisitor mv, HookedMethod method) {
        mv.visitInsn(Opcodes.ICONST_0 + value);
      }
    };
  }

  /** This value's type in the hook's descriptor. */
  abstract Type type(HookedMethod method);

  /** Pushes this value at the hooked method's entry. */
  abstract void load(MethodVisitor mv, HookedMethod method);
}
