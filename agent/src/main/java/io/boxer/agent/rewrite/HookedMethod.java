package io.boxer.agent.rewrite;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * The shape of a method that gets an entry hook, derived from its owner, access flags and descriptor: the type
 * and local slot of each parameter, and the locals of its entry frame (the receiver first, for an instance
 * method). Immutable; computed without loading any class.
 */
final class HookedMethod {

  private final String owner;
  private final boolean isStatic;
  private final Type[] parameters;
  private final int[] slots;
  private final Type returnType;
  private final Object[] entryLocals;

  /** @param owner the internal name of the class the method belongs to */
  HookedMethod(String owner, int access, String descriptor) {
    this.owner = owner;
    this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
    this.parameters = Type.getArgumentTypes(descriptor);
    this.returnType = Type.getReturnType(descriptor);
    this.slots = new int[parameters.length];
    int receiver = isStatic ? 0 : 1;
    this.entryLocals = new Object[receiver + parameters.length];
    if (!isStatic) {
      entryLocals[0] = owner;
    }
    int slot = receiver;
    for (int i = 0; i < parameters.length; i++) {
      slots[i] = slot;
      slot += parameters[i].getSize();
      entryLocals[receiver + i] = frameType(parameters[i]);
    }
  }

  /** A value's type as a stack map frame lists it (a long or double is one entry). */
  static Object frameType(Type type) {
    switch (type.getSort()) {
      case Type.BOOLEAN:
      case Type.CHAR:
      case Type.BYTE:
      case Type.SHORT:
      case Type.INT:
        return Opcodes.INTEGER;
      case Type.FLOAT:
        return Opcodes.FLOAT;
      case Type.LONG:
        return Opcodes.LONG;
      case Type.DOUBLE:
        return Opcodes.DOUBLE;
      default: // an object or an array
        return type.getInternalName();
    }
  }

  /** Whether a value of {@code type} travels as an int on the stack ({@code iload}, {@code ireturn}). */
  static boolean isIntLike(Type type) {
    return frameType(type) == Opcodes.INTEGER;
  }

  String owner() {
    return owner;
  }

  boolean isStatic() {
    return isStatic;
  }

  int parameterCount() {
    return parameters.length;
  }

  Type parameterType(int index) {
    return parameters[index];
  }

  /** The local slot of parameter {@code index} (0 is the first parameter, not the receiver). */
  int slotOf(int index) {
    return slots[index];
  }

  Type returnType() {
    return returnType;
  }

  /** The locals of a frame at the method's entry: its receiver and parameters, nothing else assigned yet. */
  Object[] entryLocals() {
    return entryLocals.clone();
  }
}
