package io.boxer.agent.rewrite;

import java.util.Set;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Passes a value through a static hook, {@code value = hook(value)}, where the method produces it: after each
 * call of a given static method ({@link #afterCall}; the hook may also receive that call's one argument), or
 * before each {@code areturn} ({@link #beforeReturn}). The hook's descriptor keeps the stack's shape, so no branch
 * and no stack map frame is added: this works on any method, whatever its control flow, and needs no class
 * loading while rewriting. Plain data, no lambdas (transformers run while classes load). Used by the
 * instrumentations of {@code java.net.NetworkInterface} and {@code java.net.InetAddress}.
 */
public final class ResultFilterVisitor extends MethodVisitor {

  private final String callOwner;
  private final String callName;
  private final String callDescriptor;
  private final boolean passArgument;
  private final String hookOwner;
  private final String hookName;
  private final String hookDescriptor;
  private final Set<String> filtered;

  private ResultFilterVisitor(MethodVisitor mv, String callOwner, String callName, String callDescriptor,
      boolean passArgument, String hookOwner, String hookName, String hookDescriptor, Set<String> filtered) {
    super(Opcodes.ASM9, mv);
    this.callOwner = callOwner;
    this.callName = callName;
    this.callDescriptor = callDescriptor;
    this.passArgument = passArgument;
    this.hookOwner = hookOwner;
    this.hookName = hookName;
    this.hookDescriptor = hookDescriptor;
    this.filtered = filtered;
  }

  /**
   * After each {@code invokestatic callOwner.callName callDescriptor}: {@code r = hook(r)}, or with
   * {@code passArgument} (a call of one single-slot argument) {@code r = hook(arg, r)}, the argument kept by a
   * {@code dup} before the call.
   *
   * @param filtered receives {@code callName + callDescriptor} when such a call is found
   */
  public static ResultFilterVisitor afterCall(MethodVisitor mv, String callOwner, String callName,
      String callDescriptor, boolean passArgument, String hookOwner, String hookName, String hookDescriptor,
      Set<String> filtered) {
    return new ResultFilterVisitor(mv, callOwner, callName, callDescriptor, passArgument, hookOwner, hookName,
        hookDescriptor, filtered);
  }

  /** Before each {@code areturn} of the method: {@code return hook(r)}; {@code hookDescriptor} is (T)T. */
  public static ResultFilterVisitor beforeReturn(MethodVisitor mv, String hookOwner, String hookName,
      String hookDescriptor) {
    return new ResultFilterVisitor(mv, null, null, null, false, hookOwner, hookName, hookDescriptor, null);
  }

  @Override
  public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
    boolean match = callName != null && opcode == Opcodes.INVOKESTATIC && owner.equals(callOwner)
        && name.equals(callName) && descriptor.equals(callDescriptor);
    if (match && passArgument) {
      super.visitInsn(Opcodes.DUP);
    }
    super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    if (match) {
      super.visitMethodInsn(Opcodes.INVOKESTATIC, hookOwner, hookName, hookDescriptor, false);
      filtered.add(name + descriptor);
    }
  }

  @Override
  public void visitInsn(int opcode) {
    if (callName == null && opcode == Opcodes.ARETURN) {
      super.visitMethodInsn(Opcodes.INVOKESTATIC, hookOwner, hookName, hookDescriptor, false);
    }
    super.visitInsn(opcode);
  }
}
